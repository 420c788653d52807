package ai.dstack.core.runs.wire;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command line into words as Python's {@code shlex.split} does (POSIX mode), which is how
 * dstack turns {@code entrypoint} into an argv: whitespace separates words, single quotes keep
 * everything, double quotes keep everything but {@code \"} and {@code \\}, and a backslash outside
 * quotes keeps the next character.
 */
final class ShellWords {
  private ShellWords() {}

  /**
   * @throws InvalidRunSpecException on an unclosed quote or a trailing backslash
   */
  static List<String> split(String line) {
    var words = new ArrayList<String>();
    var word = new StringBuilder();
    boolean inWord = false;
    int i = 0;
    while (i < line.length()) {
      char c = line.charAt(i);
      if (isSpace(c)) {
        if (inWord) {
          words.add(word.toString());
          word.setLength(0);
          inWord = false;
        }
        i++;
      } else if (c == '\\') {
        if (i + 1 >= line.length()) {
          throw new InvalidRunSpecException("No escaped character");
        }
        word.append(line.charAt(i + 1));
        inWord = true;
        i += 2;
      } else if (c == '\'' || c == '"') {
        int j = i + 1;
        inWord = true;
        while (true) {
          if (j >= line.length()) {
            throw new InvalidRunSpecException("No closing quotation");
          }
          char d = line.charAt(j);
          if (d == c) {
            break;
          }
          if (c == '"' && d == '\\' && j + 1 < line.length()) {
            char next = line.charAt(j + 1);
            if (next == '"' || next == '\\') {
              word.append(next);
              j += 2;
              continue;
            }
          }
          word.append(d);
          j++;
        }
        i = j + 1;
      } else {
        word.append(c);
        inWord = true;
        i++;
      }
    }
    if (inWord) {
      words.add(word.toString());
    }
    return List.copyOf(words);
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  }
}
