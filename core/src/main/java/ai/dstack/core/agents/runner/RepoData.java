package ai.dstack.core.agents.runner;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The run's repo as the runner needs it (dstack's {@code RunRepoData}, discriminated by {@code
 * repo_type}).
 *
 * @param repoType {@code remote} (cloned, then the uploaded diff applied), {@code local} or {@code
 *     virtual} (the uploaded tar archive extracted)
 * @param repoBranch the branch to clone ({@code remote})
 * @param repoHash the commit to check out ({@code remote})
 * @param repoConfigName the git {@code user.name} to set in the clone ({@code remote})
 * @param repoConfigEmail the git {@code user.email} to set in the clone ({@code remote})
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RepoData(
    String repoType,
    String repoBranch,
    String repoHash,
    String repoConfigName,
    String repoConfigEmail) {

  /** {@code repo_type} of a repo cloned from git, the uploaded code being a diff. */
  public static final String REMOTE = "remote";

  /** {@code repo_type} of a repo uploaded as a tar archive. */
  public static final String LOCAL = "local";

  /** {@code repo_type} of a repo made of files uploaded as a tar archive (or of no repo). */
  public static final String VIRTUAL = "virtual";

  /** Whether the repo is cloned from git and the uploaded code is a diff to apply. */
  public boolean isRemote() {
    return REMOTE.equals(repoType);
  }
}
