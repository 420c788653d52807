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
import java.util.Set;

/**
 * One existing fleet instance a run may be placed on: by instance name (also written as plain
 * text), by hostname or IP address, or by fleet and instance number.
 */
public sealed interface InstanceSelector {

  /** {@code {name}}, or the name alone. */
  record ByName(String name) implements InstanceSelector {}

  /** {@code {hostname}}: a hostname or IP address. */
  record ByHostname(String hostname) implements InstanceSelector {}

  /** {@code {fleet, instance}}: the instance with this number in that fleet. */
  record InFleet(EntityReference fleet, long instance) implements InstanceSelector {}

  Field<String> NAME = Field.required("name", nonEmpty(), "The fleet instance name");
  Field<String> HOSTNAME =
      Field.required("hostname", nonEmpty(), "The fleet instance hostname or IP address");
  Field<EntityReference> FLEET =
      Field.required(
          "fleet", EntityReference.READER, "The fleet: a name, project/name or {project, name}");
  Field<Long> INSTANCE =
      Field.required("instance", Readers.integerAtLeast(0), "The instance number in the fleet");

  ObjectSpec BY_NAME = ObjectSpec.of("an instance name selector", NAME);
  ObjectSpec BY_HOSTNAME = ObjectSpec.of("an instance hostname selector", HOSTNAME);
  ObjectSpec IN_FLEET = ObjectSpec.of("a fleet instance selector", FLEET, INSTANCE);

  /** A name, or one of the three objects, told apart by their keys. */
  ValueReader<InstanceSelector> READER =
      ValueReader.of(
          Map.of(
              "anyOf",
              List.of(
                  Map.of("type", "string"),
                  BY_NAME.schema(),
                  BY_HOSTNAME.schema(),
                  IN_FLEET.schema())),
          InstanceSelector::read);

  private static ValueReader<String> nonEmpty() {
    return ValueReader.of(
        Map.of("type", "string", "minLength", 1),
        (node, path, problems) -> {
          var text = Readers.STRING.read(node, path, problems);
          return text != null && text.isEmpty()
              ? problems.add(node, path, "cannot be empty")
              : text;
        });
  }

  private static InstanceSelector read(Node node, FieldPath path, Problems problems) {
    if (node instanceof Node.Scalar s && s.type() == Node.ScalarType.STR) {
      return new ByName(s.text());
    }
    if (!(node instanceof Node.Mapping mapping)) {
      return problems.add(
          node,
          path,
          "expected an instance name, {name}, {hostname} or {fleet, instance}, got "
              + node.describe());
    }
    var keys = mapping.entries().stream().map(Node.Entry::key).toList();
    ObjectSpec spec;
    if (Set.of("name").containsAll(keys) && keys.contains("name")) {
      spec = BY_NAME;
    } else if (Set.of("hostname").containsAll(keys) && keys.contains("hostname")) {
      spec = BY_HOSTNAME;
    } else if (Set.of("fleet", "instance").containsAll(keys) && !keys.isEmpty()) {
      spec = IN_FLEET;
    } else {
      return problems.add(
          node,
          path,
          "an instance selector has either name, hostname, or fleet and instance; got "
              + (keys.isEmpty() ? "no keys" : String.join(", ", keys)));
    }
    var values = spec.read(node, path, problems);
    if (values == null) {
      return null;
    }
    if (spec == BY_NAME) {
      NullValues.rejectNull(values, NAME);
      return values.has(NAME) ? new ByName(values.get(NAME)) : null;
    }
    if (spec == BY_HOSTNAME) {
      NullValues.rejectNull(values, HOSTNAME);
      return values.has(HOSTNAME) ? new ByHostname(values.get(HOSTNAME)) : null;
    }
    NullValues.rejectNull(values, FLEET, INSTANCE);
    return values.has(FLEET) && values.has(INSTANCE)
        ? new InFleet(values.get(FLEET), values.get(INSTANCE))
        : null;
  }
}
