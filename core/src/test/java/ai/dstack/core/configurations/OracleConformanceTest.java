package ai.dstack.core.configurations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Checks every case file and every example against dstack 0.22.5's own parser (the oracle): what we
 * accept it accepts with the same values, and what we reject it rejects. The test command installs
 * the oracle (tools/oracle/setup.sh) and passes its Python as {@code -Ddstack.oracle.python}.
 */
class OracleConformanceTest {

  @Test
  void dstackAgreesWithEveryCaseAndExample() throws IOException, InterruptedException {
    var python = System.getProperty("dstack.oracle.python", "");
    Assumptions.assumeFalse(
        python.isEmpty(), "oracle not configured; scripts/test sets -Ddstack.oracle.python");
    assertTrue(Files.isExecutable(Path.of(python)), "oracle python missing: " + python);

    var command = new ArrayList<>(List.of(python, "../tools/oracle/check_cases.py"));
    command.addAll(files(ConfigurationCasesTest.CASES));
    command.addAll(files(Path.of("../examples")));
    var process = new ProcessBuilder(command).redirectErrorStream(true).start();
    var output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    var exit = process.waitFor();
    System.out.println(output);
    assertEquals(0, exit, "dstack 0.22.5 disagrees:\n" + output);
    var summary = java.util.regex.Pattern.compile("oracle: (\\d+) cases").matcher(output);
    assertTrue(summary.find() && Integer.parseInt(summary.group(1)) > 0, "no cases checked");
  }

  private static List<String> files(Path dir) throws IOException {
    try (var paths = Files.list(dir)) {
      return paths.filter(p -> p.toString().endsWith(".yml")).sorted().map(Path::toString).toList();
    }
  }
}
