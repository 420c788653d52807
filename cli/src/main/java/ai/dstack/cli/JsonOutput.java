package ai.dstack.cli;

import ai.dstack.sdk.api.WireJson;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.PrintWriter;

/** {@code --json}: the server's objects as the wire has them (snake_case), indented, on stdout. */
final class JsonOutput {
  private JsonOutput() {}

  static void print(PrintWriter out, Object value) {
    try {
      out.println(WireJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value));
      out.flush();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
    }
  }
}
