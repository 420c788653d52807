package ai.dstack.core.configurations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import ai.dstack.core.json.Json;
import ai.dstack.core.yaml.ConfigError;
import ai.dstack.core.yaml.InvalidConfigurationException;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** Runs every case of the case files: the table of the configuration language's rules. */
class ConfigurationCasesTest {
  static final Path CASES = Path.of("src/test/resources/cases");

  @TestFactory
  Stream<DynamicNode> cases() throws IOException {
    var files = new ArrayList<DynamicNode>();
    try (var paths = Files.list(CASES)) {
      for (var file : paths.filter(p -> p.toString().endsWith(".yml")).sorted().toList()) {
        var tests =
            ConfigurationCase.load(file).stream()
                .map(c -> DynamicTest.dynamicTest(c.name(), () -> check(c)))
                .toList();
        files.add(DynamicContainer.dynamicContainer(file.getFileName().toString(), tests));
      }
    }
    assertFalse(files.isEmpty(), "no case files under " + CASES.toAbsolutePath());
    return files.stream();
  }

  private static void check(ConfigurationCase c) {
    if (!c.errors().isEmpty()) {
      var e =
          assertThrows(
              InvalidConfigurationException.class,
              () -> ConfigurationParser.parse(c.text(), c.fileName()),
              "expected the configuration to be rejected");
      assertEquals(c.errors(), e.errors().stream().map(ConfigError::toString).toList());
      return;
    }
    Configuration configuration;
    try {
      configuration = ConfigurationParser.parse(c.text(), c.fileName());
    } catch (InvalidConfigurationException e) {
      throw new AssertionError("expected a valid configuration, got:\n" + e.getMessage(), e);
    }
    var json = Json.MAPPER.valueToTree(configuration);
    for (var expect : c.expects()) {
      var actual = at(json, expect.path());
      JsonNode expected;
      try {
        expected = Json.MAPPER.readTree(expect.json());
      } catch (IOException e) {
        throw new AssertionError("bad JSON in expect for " + expect.path() + ": " + expect.json());
      }
      assertNotNull(actual, expect.path() + " is missing from " + json);
      if (!sameJson(expected, actual)) {
        fail(expect.path() + ": expected " + expected + ", got " + actual + " in " + json);
      }
    }
  }

  /** The node at a dotted path with [i] indexes, or null. */
  static JsonNode at(JsonNode root, String path) {
    var node = root;
    for (var part : path.split("\\.")) {
      var name = part.contains("[") ? part.substring(0, part.indexOf('[')) : part;
      if (!name.isEmpty()) {
        node = node.get(name);
      }
      var rest = part.substring(name.length());
      while (node != null && rest.startsWith("[")) {
        var close = rest.indexOf(']');
        node = node.get(Integer.parseInt(rest.substring(1, close)));
        rest = rest.substring(close + 1);
      }
      if (node == null) {
        return null;
      }
    }
    return node;
  }

  /** JSON equality where 8 and 8.0 are the same number. */
  static boolean sameJson(JsonNode a, JsonNode b) {
    if (a.isNumber() && b.isNumber()) {
      return a.decimalValue().compareTo(b.decimalValue()) == 0;
    }
    if (a.isArray() && b.isArray()) {
      if (a.size() != b.size()) return false;
      for (int i = 0; i < a.size(); i++) {
        if (!sameJson(a.get(i), b.get(i))) return false;
      }
      return true;
    }
    if (a.isObject() && b.isObject()) {
      if (a.size() != b.size()) return false;
      for (var names = a.fieldNames(); names.hasNext(); ) {
        var name = names.next();
        if (!b.has(name) || !sameJson(a.get(name), b.get(name))) return false;
      }
      return true;
    }
    return a.equals(b);
  }
}
