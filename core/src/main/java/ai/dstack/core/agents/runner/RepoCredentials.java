package ai.dstack.core.agents.runner;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * How the runner clones a {@code remote} repo (dstack's {@code RemoteRepoCreds}).
 *
 * @param cloneUrl the URL to clone ({@code https://}, {@code ssh://}, {@code git@host:path}, or a
 *     local path)
 * @param privateKey the SSH key for an SSH URL
 * @param oauthToken the token for an HTTPS URL
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record RepoCredentials(String cloneUrl, String privateKey, String oauthToken) {
  @Override
  public String toString() {
    return "RepoCredentials[cloneUrl=" + cloneUrl + ", secrets redacted]";
  }
}
