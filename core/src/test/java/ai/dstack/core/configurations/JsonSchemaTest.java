package ai.dstack.core.configurations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.core.json.Json;
import ai.dstack.core.yaml.Problems;
import ai.dstack.core.yaml.Yaml11;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The generated JSON Schema: committed for editors, and it accepts every example. */
class JsonSchemaTest {
  static final Path EXAMPLES = Path.of("../examples");
  static final Path COMMITTED = Path.of("../docs/schema/configuration.json");

  static String generated() {
    return ConfigurationParser.jsonSchemaText();
  }

  static Schema schema() throws IOException {
    return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
        .getSchema(generated(), InputFormat.JSON);
  }

  static List<String> errors(String yaml) throws IOException {
    var problems = new Problems("example");
    var document = Yaml11.toPlain(Yaml11.parse(yaml, problems));
    assertTrue(problems.isEmpty(), problems.errors().toString());
    return schema().validate(Json.write(document), InputFormat.JSON).stream()
        .map(Object::toString)
        .toList();
  }

  static Stream<Path> examples() throws IOException {
    var files = Files.list(EXAMPLES).filter(p -> p.toString().endsWith(".yml")).sorted().toList();
    assertFalse(files.isEmpty(), "no examples under " + EXAMPLES.toAbsolutePath());
    return files.stream();
  }

  @Test
  void committedSchemaIsTheGeneratedOne() throws IOException {
    assertEquals(
        generated(),
        Files.readString(COMMITTED),
        "docs/schema/configuration.json is stale; regenerate it with: ./dstack schema >"
            + " docs/schema/configuration.json");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("examples")
  void everyExampleParsesAndMatchesTheSchema(Path example) throws IOException {
    ConfigurationParser.parse(example);
    assertEquals(List.of(), errors(Files.readString(example)));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "type: task\ncommands: [echo]\ncomands: [echo]\n",
        "type: task\ncommands: [echo]\nresources:\n  gpux: 1\n",
        "type: tusk\n",
        "commands: [echo]\n"
      })
  void schemaRejectsWhatTheParserRejects(String yaml) throws IOException {
    assertFalse(errors(yaml).isEmpty(), "the schema accepted:\n" + yaml);
  }
}
