package ai.dstack.cli;

import java.io.Console;
import java.lang.reflect.Method;

/**
 * What the CLI's standard streams are connected to: colour, spinners and live status lines only on
 * an interactive terminal (never when piped, with {@code NO_COLOR} set, or with {@code TERM=dumb}).
 */
final class Terminal {
  private Terminal() {}

  private static final boolean INTERACTIVE = detect();

  /** Whether standard input and output are a terminal a person reads. */
  static boolean interactive() {
    return INTERACTIVE;
  }

  /** Whether to colour output: on a terminal, unless {@code NO_COLOR} or {@code TERM=dumb}. */
  static boolean colour() {
    String noColor = System.getenv("NO_COLOR");
    return INTERACTIVE && (noColor == null || noColor.isEmpty());
  }

  /** {@code text} in bold, on a colour terminal. */
  static String bold(String text) {
    return colour() ? "\u001b[1m" + text + "\u001b[0m" : text;
  }

  /** {@code text} dimmed, on a colour terminal. */
  static String dim(String text) {
    return colour() ? "\u001b[2m" + text + "\u001b[0m" : text;
  }

  /** {@code text} in red, on a colour terminal. */
  static String red(String text) {
    return colour() ? "\u001b[31m" + text + "\u001b[0m" : text;
  }

  /** {@code text} in green, on a colour terminal. */
  static String green(String text) {
    return colour() ? "\u001b[32m" + text + "\u001b[0m" : text;
  }

  private static boolean detect() {
    if ("dumb".equals(System.getenv("TERM"))) {
      return false;
    }
    Console console = System.console();
    if (console == null) {
      return false;
    }
    // Since JDK 22 a console exists even when redirected; isTerminal() (22+) tells them apart.
    try {
      Method isTerminal = Console.class.getMethod("isTerminal");
      return (Boolean) isTerminal.invoke(console);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }
}
