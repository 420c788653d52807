package ai.dstack.core.configurations;

import ai.dstack.core.profiles.NullValues;
import ai.dstack.core.profiles.ProfileParams;
import ai.dstack.core.yaml.Field;
import ai.dstack.core.yaml.FieldValues;
import ai.dstack.core.yaml.ObjectSpec;
import ai.dstack.core.yaml.Readers;
import ai.dstack.core.yaml.ValueReader;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.util.List;

/**
 * {@code type: task}: commands run to completion, on one node, on {@code nodes} identical nodes, or
 * on heterogeneous node {@code groups}.
 */
public record TaskConfiguration(
    Long nodes,
    List<NodeGroup> groups,
    List<PortMapping> ports,
    List<String> commands,
    @JsonUnwrapped RunParams run,
    @JsonUnwrapped ProfileParams profile)
    implements Configuration {

  public static final String TYPE = "task";

  public TaskConfiguration {
    groups = groups == null ? null : List.copyOf(groups);
    ports = List.copyOf(ports);
    commands = List.copyOf(commands);
  }

  @Override
  @JsonProperty("type")
  public String type() {
    return TYPE;
  }

  private static final Field<String> TYPE_FIELD =
      Field.required("type", Readers.oneOf(TYPE), "The configuration type: task");
  private static final Field<Long> NODES =
      Field.of(
          "nodes",
          Readers.integerAtLeast(1),
          "The number of identical nodes to run on (a multi-node task). Not with groups");
  private static final Field<List<NodeGroup>> GROUPS =
      Field.of(
          "groups",
          NamedGroup.listOf(NodeGroup.READER, "node groups"),
          "Groups of nodes for a heterogeneous multi-node task, each with its own nodes,"
              + " resources, commands and ports. Not with nodes, nor with top-level commands,"
              + " ports or entrypoint");
  private static final Field<List<PortMapping>> PORTS = DevEnvironmentConfiguration.PORTS;
  static final Field<List<String>> COMMANDS =
      Field.of("commands", RunParams.COMMANDS, "The shell commands to run");

  private static final ObjectSpec SPEC =
      ObjectSpec.of("a task", TYPE_FIELD, NODES, GROUPS, PORTS, COMMANDS)
          .with(RunParams.FIELDS)
          .with(ProfileParams.RUN_FIELDS);

  /** Reads {@code type: task}. */
  public static final ValueReader<TaskConfiguration> READER =
      SPEC.reader(
          values -> {
            NullValues.rejectNull(values, PORTS, COMMANDS);
            var run = RunParams.read(values);
            var groups = values.get(GROUPS);
            var commands = values.get(COMMANDS, List.of());
            var ports = values.get(PORTS, List.of());
            if (written(values, GROUPS)) {
              checkWithGroups(values, run, groups, commands, ports);
            } else {
              requireCommandsOrImage(values, run, commands);
            }
            return new TaskConfiguration(
                values.get(NODES), groups, ports, commands, run, ProfileParams.read(values));
          });

  private static void checkWithGroups(
      FieldValues values,
      RunParams run,
      List<NodeGroup> groups,
      List<String> commands,
      List<PortMapping> ports) {
    if (written(values, NODES)) {
      values.problem(NODES, "cannot be set with groups: set nodes in each group instead");
    }
    if (groups == null) {
      return; // the groups have problems of their own
    }
    if (!commands.isEmpty()) {
      values.problem(COMMANDS, "cannot be set with groups: set commands in each group instead");
    }
    if (!ports.isEmpty()) {
      values.problem(PORTS, "cannot be set with groups: set ports in each group instead");
    }
    if (run.entrypoint() != null) {
      values.problem(
          RunParams.ENTRYPOINT, "cannot be set with groups: set commands in each group instead");
    }
    if (run.image() == null) {
      for (var group : groups) {
        if (group.commands().isEmpty()) {
          values.problem(
              GROUPS,
              "group \""
                  + group.name()
                  + "\" has no commands; give it commands, or set image at the task level");
        }
      }
    }
  }

  /** Tasks and services without groups need something to run. */
  static void requireCommandsOrImage(FieldValues values, RunParams run, List<String> commands) {
    var unread =
        values.isWritten(COMMANDS) && !values.has(COMMANDS) || failed(values, RunParams.IMAGE);
    if (!unread && commands.isEmpty() && (run.image() == null || run.image().isEmpty())) {
      values.problem("needs commands or image: give the commands to run, or an image to start");
    }
  }

  /** Whether the field was written with a value that did not read (its problem is recorded). */
  static boolean failed(FieldValues values, Field<?> field) {
    return values.isWritten(field) && !values.has(field) && !RunParams.isNull(values, field);
  }

  /** Whether the field was written with a value other than null. */
  static boolean written(FieldValues values, Field<?> field) {
    return values.isWritten(field) && !RunParams.isNull(values, field);
  }
}
