package ai.dstack.core.api.repos;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * The body of {@code repos/init}, which {@code dstack apply} sends before planning a run.
 *
 * @param repoId the repo's id; {@code none} for the virtual repo of runs without code
 * @param repoInfo {@code {"repo_type": ...}} and the repo's details
 * @param repoCreds how to clone it ({@code clone_url}, {@code private_key}, {@code oauth_token}),
 *     or null
 */
public record SaveRepoCredsRequest(
    @JsonProperty(required = true) String repoId,
    @JsonProperty(required = true) Map<String, Object> repoInfo,
    @JsonInclude(JsonInclude.Include.ALWAYS) Map<String, Object> repoCreds) {

  /** The virtual repo {@code none}: a run without code, as dstack's CLI sends it. */
  public static SaveRepoCredsRequest virtual() {
    return new SaveRepoCredsRequest("none", Map.of("repo_type", "virtual"), null);
  }

  /** Masks the credentials, so a logged request does not leak them. */
  @Override
  public String toString() {
    return "SaveRepoCredsRequest[repoId="
        + repoId
        + ", repoInfo="
        + repoInfo
        + ", repoCreds="
        + (repoCreds == null ? null : "***")
        + "]";
  }
}
