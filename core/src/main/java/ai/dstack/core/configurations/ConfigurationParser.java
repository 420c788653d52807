package ai.dstack.core.configurations;

import ai.dstack.core.json.Json;
import ai.dstack.core.yaml.FieldPath;
import ai.dstack.core.yaml.InvalidConfigurationException;
import ai.dstack.core.yaml.Node;
import ai.dstack.core.yaml.Problems;
import ai.dstack.core.yaml.Readers;
import ai.dstack.core.yaml.Suggestions;
import ai.dstack.core.yaml.ValueReader;
import ai.dstack.core.yaml.Yaml11;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses {@code .dstack.yml} files: YAML 1.1 as dstack reads it, dispatched on {@code type}, with
 * every problem of the file reported together.
 */
public final class ConfigurationParser {
  private ConfigurationParser() {}

  /** Every configuration type, by its {@code type} value, in the order dstack documents them. */
  static final Map<String, ValueReader<? extends Configuration>> TYPES = types();

  private static Map<String, ValueReader<? extends Configuration>> types() {
    var types = new LinkedHashMap<String, ValueReader<? extends Configuration>>();
    ConfigurationTypes.register(types);
    return java.util.Collections.unmodifiableMap(types);
  }

  /** Parses a file. */
  public static Configuration parse(Path file) throws IOException {
    return parse(Files.readString(file), file.toString());
  }

  /**
   * Parses configuration text; {@code fileName} names the file in error messages.
   *
   * @throws InvalidConfigurationException with every problem found, when the text does not validate
   */
  public static Configuration parse(String text, String fileName) {
    var problems = new Problems(fileName);
    var root = Yaml11.parse(text, problems);
    var configuration = root == null ? null : read(root, problems);
    problems.throwIfAny();
    return configuration;
  }

  /** Reads an already parsed document (YAML, or JSON sent to the API), recording problems. */
  public static Configuration read(Node root, Problems problems) {
    if (!(root instanceof Node.Mapping mapping)) {
      return problems.add(
          root,
          FieldPath.ROOT,
          "expected a configuration (a mapping with a `type` field), got " + root.describe());
    }
    var typeEntry = mapping.get("type");
    var names = List.copyOf(TYPES.keySet());
    if (typeEntry == null) {
      return problems.add(
          mapping, FieldPath.ROOT.child("type"), "is required: one of " + String.join(", ", names));
    }
    var type = Readers.STRING.read(typeEntry.value(), FieldPath.ROOT.child("type"), problems);
    if (type == null) {
      return null;
    }
    var reader = TYPES.get(type);
    if (reader == null) {
      return problems.add(
          typeEntry.value(),
          FieldPath.ROOT.child("type"),
          "\""
              + type
              + "\" is not a configuration type; expected one of "
              + String.join(", ", names)
              + Suggestions.didYouMean(type, names));
    }
    return reader.read(mapping, FieldPath.ROOT, problems);
  }

  /**
   * The JSON Schema as pretty-printed JSON text, with keys sorted so the text is the same on every
   * run (the schema's maps are not all ordered).
   */
  public static String jsonSchemaText() {
    try {
      return Json.MAPPER
              .writer()
              .with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
              .withDefaultPrettyPrinter()
              .writeValueAsString(jsonSchema())
          + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the JSON Schema", e);
    }
  }

  /** The JSON Schema of every configuration type, for editors (draft 2020-12). */
  public static Map<String, Object> jsonSchema() {
    var variants = new ArrayList<Object>();
    for (var reader : TYPES.values()) {
      variants.add(reader.schema());
    }
    var schema = new LinkedHashMap<String, Object>();
    schema.put("$schema", "https://json-schema.org/draft/2020-12/schema");
    schema.put("$id", "https://dstack.ai/schemas/configuration.json");
    schema.put("title", "dstack configuration (.dstack.yml)");
    schema.put("oneOf", variants);
    return schema;
  }
}
