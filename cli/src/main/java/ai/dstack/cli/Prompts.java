package ai.dstack.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** Questions to the user, as dstack asks them: {@code -y} answers yes without asking. */
final class Prompts {
  private Prompts() {}

  private static BufferedReader stdin;

  /**
   * Asks {@code question} on stderr and reads the answer from stdin; true for "y" or "yes". With
   * nothing to read (no terminal, closed stdin) the answer is no, and how to skip the question is
   * said.
   */
  static boolean confirm(PrintWriter err, String question, boolean yes) {
    if (yes) {
      return true;
    }
    err.print(question + " [y/n]: ");
    err.flush();
    String answer;
    try {
      answer = reader().readLine();
    } catch (IOException e) {
      answer = null;
    }
    if (answer == null) {
      err.println();
      err.println("No answer (stdin is closed); pass -y to go on without asking.");
      err.flush();
      return false;
    }
    answer = answer.strip().toLowerCase(java.util.Locale.ROOT);
    return answer.equals("y") || answer.equals("yes");
  }

  /**
   * {@link #confirm}, saying {@code Exiting...} when the answer is no: the command then ends
   * without doing anything, with {@link ExitCodes#OK}.
   */
  static boolean proceed(PrintWriter err, String question, boolean yes) {
    if (confirm(err, question, yes)) {
      return true;
    }
    err.println("Exiting...");
    err.flush();
    return false;
  }

  private static synchronized BufferedReader reader() {
    if (stdin == null) {
      stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    }
    return stdin;
  }
}
