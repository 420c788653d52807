package ai.dstack.core.profiles;

import ai.dstack.core.yaml.Field;
import ai.dstack.core.yaml.FieldPath;
import ai.dstack.core.yaml.Node;
import ai.dstack.core.yaml.ObjectSpec;
import ai.dstack.core.yaml.Problems;
import ai.dstack.core.yaml.Readers;
import ai.dstack.core.yaml.ValueReader;
import java.util.List;
import java.util.Map;

/**
 * A reference to a fleet or gateway, possibly of another project: written {@code name}, {@code
 * project/name} or {@code {project, name}}. A null project means the run's own project.
 */
public record EntityReference(String project, String name) {

  private static final Field<String> PROJECT =
      Field.of("project", Readers.STRING, "The project name; the current project when left out");
  private static final Field<String> NAME = Field.required("name", Readers.STRING, "The name");
  private static final ObjectSpec OBJECT = ObjectSpec.of("a reference", PROJECT, NAME);

  /**
   * A reference written as text or as an object; numbers are taken as their text ({@code 5} is the
   * name "5").
   */
  public static final ValueReader<EntityReference> READER =
      ValueReader.of(
          Map.of("anyOf", List.of(Map.of("type", "string"), OBJECT.schema())),
          EntityReference::read);

  private static EntityReference read(Node node, FieldPath path, Problems problems) {
    if (node instanceof Node.Mapping) {
      var values = OBJECT.read(node, path, problems);
      if (values == null) {
        return null;
      }
      NullValues.rejectNull(values, NAME);
      var name = values.get(NAME);
      return name == null ? null : new EntityReference(values.get(PROJECT), name);
    }
    var text = Readers.STRING.read(node, path, problems);
    if (text == null) {
      return null;
    }
    var reference = parse(text);
    if (reference == null) {
      return problems.add(
          node, path, "\"" + text + "\" is not a reference; write a name, or project/name");
    }
    return reference;
  }

  /** Parses {@code name} or {@code project/name}; null when the text is neither. */
  public static EntityReference parse(String text) {
    var parts = text.split("/", -1);
    for (var part : parts) {
      if (part.isEmpty()) {
        return null;
      }
    }
    return switch (parts.length) {
      case 1 -> new EntityReference(null, parts[0]);
      case 2 -> new EntityReference(parts[0], parts[1]);
      default -> null;
    };
  }
}
