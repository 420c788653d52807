package ai.dstack.activities.offers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.core.json.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Assumptions;

/**
 * dstack 0.22.5's own offer matching, asked through {@code dstack_offers.py} in the oracle's Python
 * ({@code -Ddstack.oracle.python}, which scripts/test sets; tests skip without it).
 */
public final class DstackOracle {
  private DstackOracle() {}

  /** The answers to the questions, in order (see dstack_offers.py for their shapes). */
  public static List<JsonNode> ask(List<Map<String, Object>> questions) throws Exception {
    var python = System.getProperty("dstack.oracle.python", "");
    Assumptions.assumeFalse(
        python.isEmpty(), "oracle not configured; scripts/test sets -Ddstack.oracle.python");
    assertTrue(Files.isExecutable(Path.of(python)), "oracle python missing: " + python);
    var script = Files.createTempFile("dstack_offers", ".py");
    try (InputStream in = DstackOracle.class.getResourceAsStream("dstack_offers.py")) {
      Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
    }
    try {
      var process = new ProcessBuilder(python, script.toString()).start();
      var errors = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
      try (var stdin = process.getOutputStream()) {
        stdin.write(Json.write(questions).getBytes(StandardCharsets.UTF_8));
      }
      var output = read(process.getInputStream());
      assertEquals(0, process.waitFor(), () -> "the oracle failed:\n" + errors.join());
      var answers = Json.MAPPER.readTree(output);
      assertEquals(questions.size(), answers.size(), output);
      return toList(answers);
    } finally {
      Files.deleteIfExists(script);
    }
  }

  private static List<JsonNode> toList(JsonNode array) {
    var list = new java.util.ArrayList<JsonNode>();
    array.forEach(list::add);
    return list;
  }

  private static String read(InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(" + e + ")";
    }
  }
}
