package ai.dstack.core.agents.runner;

import java.util.ArrayList;
import java.util.List;

/**
 * How dstack turns a configuration's {@code commands} and {@code shell} into a job's argv: {@code
 * shell -c 'cmd1 && cmd2'}, with {@code /bin/sh} as the default shell.
 */
public final class ShellCommand {
  private ShellCommand() {}

  /** The shell of a configuration that names none (dstack uses it for custom images). */
  public static final String DEFAULT_SHELL = "/bin/sh";

  /**
   * The shell's path: {@code null} is {@link #DEFAULT_SHELL}, an absolute path stays, a bare name
   * is looked for in {@code /bin} ({@code bash} is {@code /bin/bash}).
   */
  public static String shellPath(String shell) {
    if (shell == null || shell.isBlank()) {
      return DEFAULT_SHELL;
    }
    return shell.startsWith("/") ? shell : "/bin/" + shell;
  }

  /**
   * The commands as one shell command line: each stripped, joined with {@code &&}, so the first
   * failing command ends the job; a command ending in {@code &} is wrapped in {@code { ... }} so it
   * still runs in the background.
   */
  public static String join(List<String> commands) {
    var parts = new ArrayList<String>(commands.size());
    for (String command : commands) {
      String stripped = command.strip();
      parts.add(stripped.endsWith("&") ? "{ " + stripped + " }" : stripped);
    }
    return String.join(" && ", parts);
  }

  /** {@code [shellPath(shell), "-c", join(commands)]}. */
  public static List<String> argv(String shell, List<String> commands) {
    return List.of(shellPath(shell), "-c", join(commands));
  }
}
