package ai.dstack.core.configurations;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One case of a case file (core/src/test/resources/cases/*.yml). A case file holds YAML documents
 * separated by lines that are exactly {@code ---}; each starts with directive comments:
 *
 * <pre>
 * # case: what it pins
 * # file: task.dstack.yml            (the file name in errors; default .dstack.yml)
 * # expect: resources.gpu.count.min = 2     (valid; the JSON value at the path)
 * # error: .dstack.yml:7:8 resources.gpu: ...  (invalid; every error, in order)
 * # oracle: differs &lt;reason&gt;          (deliberately differs from dstack 0.22.5)
 * </pre>
 *
 * The same files are checked against dstack's own parser by tools/oracle/check_cases.py.
 */
record ConfigurationCase(
    String source,
    String name,
    String fileName,
    String text,
    List<String> errors,
    List<Expect> expects) {

  /** A JSON value expected at a path of the parsed configuration. */
  record Expect(String path, String json) {}

  static List<ConfigurationCase> load(Path file) throws IOException {
    var cases = new ArrayList<ConfigurationCase>();
    var chunk = new StringBuilder();
    for (var line : Files.readAllLines(file)) {
      if (line.equals("---")) {
        cases.add(parse(file.getFileName().toString(), chunk.toString()));
        chunk.setLength(0);
      } else {
        chunk.append(line).append('\n');
      }
    }
    if (!chunk.toString().isBlank()) {
      cases.add(parse(file.getFileName().toString(), chunk.toString()));
    }
    return cases;
  }

  private static ConfigurationCase parse(String source, String text) {
    String name = null;
    var fileName = ".dstack.yml";
    var errors = new ArrayList<String>();
    var expects = new ArrayList<Expect>();
    for (var line : text.split("\n")) {
      if (!line.startsWith("#")) {
        break;
      }
      var directive = line.substring(1).strip();
      if (directive.startsWith("case:")) {
        name = directive.substring(5).strip();
      } else if (directive.startsWith("file:")) {
        fileName = directive.substring(5).strip();
      } else if (directive.startsWith("error:")) {
        errors.add(directive.substring(6).strip());
      } else if (directive.startsWith("expect:")) {
        var body = directive.substring(7);
        var eq = body.indexOf(" = ");
        if (eq < 0) {
          throw new IllegalArgumentException(source + ": bad expect line: " + line);
        }
        expects.add(new Expect(body.substring(0, eq).strip(), body.substring(eq + 3).strip()));
      }
    }
    if (name == null) {
      throw new IllegalArgumentException(
          source
              + ": a case without `# case:` starts with: "
              + text.lines().findFirst().orElse(""));
    }
    return new ConfigurationCase(source, name, fileName, text, errors, expects);
  }
}
