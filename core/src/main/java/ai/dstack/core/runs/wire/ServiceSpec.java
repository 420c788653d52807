package ai.dstack.core.runs.wire;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Map;

/**
 * Where a service is served, dstack's {@code ServiceSpec}: its URL (full, or a path relative to the
 * server) and the model endpoint, if it serves one.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ServiceSpec(String url, ServiceSpec.Model model, Map<String, Object> options) {
  public ServiceSpec {
    if (url == null) {
      throw new IllegalArgumentException("a service spec needs a url");
    }
    options = options == null ? Map.of() : Map.copyOf(options);
  }

  /** The model a service serves: its name, the base URL of its API, and its type ({@code chat}). */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Model(String name, String baseUrl, String type) {}
}
