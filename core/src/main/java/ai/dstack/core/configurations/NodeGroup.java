package ai.dstack.core.configurations;

import ai.dstack.core.profiles.NullValues;
import ai.dstack.core.resources.ResourcesGrammar;
import ai.dstack.core.resources.ResourcesSpec;
import ai.dstack.core.yaml.Field;
import ai.dstack.core.yaml.ObjectSpec;
import ai.dstack.core.yaml.Readers;
import ai.dstack.core.yaml.ValueReader;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One group of nodes of a heterogeneous multi-node task: how many nodes, what each needs, and the
 * commands and ports of its jobs. A group without a name is named after its position ("0", "1",
 * ...). Resources are the group's own; the task's are not inherited.
 */
public record NodeGroup(
    String name,
    long nodes,
    ResourcesSpec resources,
    List<String> commands,
    List<PortMapping> ports)
    implements NamedGroup<NodeGroup> {

  public NodeGroup {
    commands = List.copyOf(commands);
    ports = List.copyOf(ports);
  }

  /** Names of node and replica groups. */
  static final Pattern GROUP_NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");

  static final ValueReader<String> GROUP_NAME_READER =
      ValueReader.of(
          Map.of("type", "string", "pattern", "^" + GROUP_NAME.pattern() + "$"),
          (node, path, problems) -> {
            var name = Readers.STRING.read(node, path, problems);
            if (name != null && !GROUP_NAME.matcher(name).matches()) {
              return problems.add(
                  node,
                  path,
                  "\""
                      + name
                      + "\" is not a valid group name; use 1 to 40 lowercase letters, digits and"
                      + " hyphens, starting with a letter or digit");
            }
            return name;
          });

  private static final Field<String> NAME =
      Field.of(
          "name", GROUP_NAME_READER, "The group's name (default: its position, \"0\", \"1\", ...)");
  private static final Field<Long> NODES =
      Field.of("nodes", Readers.integerAtLeast(1), "The number of nodes in the group (default 1)");
  private static final Field<ResourcesSpec> RESOURCES =
      Field.of(
          "resources",
          ResourcesGrammar.RESOURCES,
          "What each node of the group needs (the task's resources are not inherited)");
  private static final Field<List<String>> COMMANDS =
      Field.of("commands", RunParams.COMMANDS, "The shell commands the group's jobs run");
  private static final Field<List<PortMapping>> PORTS =
      Field.of(
          "ports", Readers.listOf(PortMapping.READER), "Ports to forward from the group's jobs");

  /** One {@code groups} item; {@code name} is null when not written. */
  static final ValueReader<NodeGroup> READER =
      ObjectSpec.of("a node group", NAME, NODES, RESOURCES, COMMANDS, PORTS)
          .reader(
              values -> {
                NullValues.rejectNull(values, NODES, RESOURCES, COMMANDS, PORTS);
                return new NodeGroup(
                    values.get(NAME),
                    values.get(NODES, 1L),
                    values.get(RESOURCES, ResourcesSpec.DEFAULT),
                    values.get(COMMANDS, List.of()),
                    values.get(PORTS, List.of()));
              });

  @Override
  public NodeGroup named(String newName) {
    return new NodeGroup(newName, nodes, resources, commands, ports);
  }
}
