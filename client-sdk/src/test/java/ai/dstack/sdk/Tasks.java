package ai.dstack.sdk;

import java.util.List;
import java.util.UUID;

/**
 * Task configurations for the tests: one block of the local fleet each, so tasks run side by side.
 */
final class Tasks {
  private Tasks() {}

  /** A fresh run name. */
  static String name(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** {@code type: task} named {@code name} running {@code commands}. */
  static String task(String name, List<String> commands) {
    var yaml = new StringBuilder("type: task\nname: ").append(name).append("\ncommands:\n");
    for (String command : commands) {
      yaml.append("  - ").append(quoted(command)).append('\n');
    }
    return yaml.append("resources:\n  cpu: 1\n  memory: 1GB..\n  disk: 1GB..\n").toString();
  }

  /** The lines a job printed, without the two notices of dstack's {@code bash -i} without a tty. */
  static List<String> printed(List<String> lines) {
    return lines.stream().filter(l -> !l.startsWith("bash: ")).toList();
  }

  private static String quoted(String text) {
    return "'" + text.replace("'", "''") + "'";
  }
}
