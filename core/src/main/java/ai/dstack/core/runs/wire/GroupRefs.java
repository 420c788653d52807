package ai.dstack.core.runs.wire;

import ai.dstack.core.configurations.Configuration;
import ai.dstack.core.configurations.DevEnvironmentConfiguration;
import ai.dstack.core.configurations.Env;
import ai.dstack.core.configurations.ServiceConfiguration;
import ai.dstack.core.configurations.TaskConfiguration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * References to other groups' addresses in commands, {@code ${{ groups[0].nodes[1].IP_ADDRESS }}}
 * (task nodes) and {@code ${{ groups[0].replicas[0].IP_ADDRESS }}} (service replicas), checked as
 * dstack's server checks them on submission (dstack's {@code _validate_groups_ip_refs}).
 */
final class GroupRefs {
  private GroupRefs() {}

  private static final String INNER =
      "groups\\[(\\d+)\\]\\.(nodes|replicas)\\[(\\d+)\\]\\.IP_ADDRESS";
  private static final Pattern NAME = Pattern.compile("^" + INNER + "$");
  private static final Pattern REF =
      Pattern.compile("(?<!\\$)\\$\\{\\{\\s*" + INNER + "\\s*\\}\\}");
  private static final Pattern ANY_REF = Pattern.compile("(?<!\\$)\\$\\{\\{\\s*([^}]+?)\\s*\\}\\}");

  /**
   * @throws InvalidRunSpecException with dstack's message for the first bad reference
   */
  static void check(Configuration configuration) {
    for (var value : envValues(configuration)) {
      if (containsGroupsRef(value)) {
        throw new InvalidRunSpecException(
            "groups IP references are only supported in commands, not in `env`");
      }
    }
    var commands = commands(configuration);
    for (var command : commands) {
      checkNames(command);
    }
    if (configuration instanceof TaskConfiguration task) {
      commands.forEach(c -> checkMember(c, "nodes"));
      var sizes = Groups.nodeGroups(task).stream().map(g -> g.nodes()).toList();
      commands.forEach(c -> checkBounds(c, sizes, "nodes"));
    } else if (configuration instanceof ServiceConfiguration service) {
      commands.forEach(c -> checkMember(c, "replicas"));
      var sizes = Groups.replicaGroups(service).stream().map(Groups::minReplicas).toList();
      commands.forEach(c -> checkBounds(c, sizes, "replicas"));
    }
  }

  private static List<String> envValues(Configuration configuration) {
    var params = RunSpecs.paramsOf(configuration);
    var values = new ArrayList<String>();
    if (params.env() != null) {
      for (var value : params.env().variables().values()) {
        if (value instanceof Env.Value.Literal literal) {
          values.add(literal.value());
        }
      }
    }
    return values;
  }

  /** dstack's {@code _iter_configuration_commands}. */
  private static List<String> commands(Configuration configuration) {
    var commands = new ArrayList<String>();
    switch (configuration) {
      case TaskConfiguration task ->
          Groups.nodeGroups(task).forEach(g -> commands.addAll(g.commands()));
      case ServiceConfiguration service -> {
        commands.addAll(service.commands());
        Groups.replicaGroups(service).forEach(g -> commands.addAll(g.commands()));
      }
      case DevEnvironmentConfiguration dev -> commands.addAll(dev.init());
      default -> {}
    }
    return commands;
  }

  private static boolean containsGroupsRef(String text) {
    var matcher = ANY_REF.matcher(text);
    while (matcher.find()) {
      if (isGroupsNamespace(matcher.group(1).strip())) {
        return true;
      }
    }
    return false;
  }

  private static boolean isGroupsNamespace(String name) {
    return name.split("\\.", -1)[0].split("\\[", -1)[0].equals("groups");
  }

  private static void checkNames(String command) {
    var matcher = ANY_REF.matcher(command);
    while (matcher.find()) {
      var name = matcher.group(1).strip();
      if (isGroupsNamespace(name) && !NAME.matcher(name).matches()) {
        throw new InvalidRunSpecException("Illegal reference name: " + name);
      }
    }
  }

  private static void checkMember(String command, String expected) {
    var matcher = REF.matcher(command);
    while (matcher.find()) {
      if (!matcher.group(2).equals(expected)) {
        throw new InvalidRunSpecException(
            "Illegal reference name: groups["
                + matcher.group(1)
                + "]."
                + matcher.group(2)
                + "["
                + matcher.group(3)
                + "].IP_ADDRESS");
      }
    }
  }

  private static void checkBounds(String command, List<Long> sizes, String member) {
    var matcher = REF.matcher(command);
    while (matcher.find()) {
      if (!matcher.group(2).equals(member)) {
        continue;
      }
      var group = Integer.parseInt(matcher.group(1));
      var index = Long.parseLong(matcher.group(3));
      if (group >= sizes.size() || index >= sizes.get(group)) {
        var ref = "groups[" + group + "]." + member + "[" + index + "].IP_ADDRESS";
        if (member.equals("replicas") && group < sizes.size() && sizes.get(group) == 0) {
          throw new InvalidRunSpecException(
              "Invalid reference "
                  + ref
                  + ": this group scales to zero, so no replica is guaranteed at start");
        }
        throw new InvalidRunSpecException("Invalid reference " + ref + ": out of range");
      }
    }
  }
}
