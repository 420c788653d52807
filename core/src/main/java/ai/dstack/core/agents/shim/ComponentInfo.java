package ai.dstack.core.agents.shim;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * One installable component (the shim or the runner) and its state.
 *
 * @param name {@code dstack-shim} or {@code dstack-runner}
 * @param status {@code not-installed}, {@code installed}, {@code installing} or {@code error}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ComponentInfo(String name, String version, String status) {
  public static final String SHIM = "dstack-shim";
  public static final String RUNNER = "dstack-runner";
  public static final String INSTALLED = "installed";
  public static final String NOT_INSTALLED = "not-installed";
}
