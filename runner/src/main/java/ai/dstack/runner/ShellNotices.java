package ai.dstack.runner;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Drops, from the very start of a job's output, the two lines {@code bash -i} prints when it has no
 * terminal ("cannot set terminal process group", "no job control in this shell"): dstack's jobs run
 * as {@code bash -i -c COMMANDS}, which dstack's runner gives a pseudo-terminal and ours does not,
 * so without this every log would begin with them. Anything else, and these lines anywhere later,
 * pass through untouched.
 */
final class ShellNotices {
  private static final Pattern NOTICE =
      Pattern.compile(
          "(?:/usr/bin/|/bin/)?bash: (?:cannot set terminal process group \\(-?\\d+\\):"
              + " Inappropriate ioctl for device|no job control in this shell)\\r?\\n");

  /** A notice line is never longer than this; a longer first line is the job's own. */
  private static final int LONGEST = 160;

  /** How the notice lines begin, with each name bash may give itself. */
  private static final List<String> STARTS =
      Stream.of("bash: ", "/bin/bash: ", "/usr/bin/bash: ")
          .flatMap(
              shell ->
                  Stream.of(
                      shell + "cannot set terminal process group (",
                      shell + "no job control in this shell"))
          .toList();

  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
  private boolean passing;

  /** The part of the next chunk of output to keep (maybe empty while a notice may be starting). */
  byte[] filter(byte[] chunk, int offset, int length) {
    if (passing) {
      return Arrays.copyOfRange(chunk, offset, offset + length);
    }
    pending.write(chunk, offset, length);
    String text = pending.toString(StandardCharsets.ISO_8859_1);
    int consumed = 0;
    while (true) {
      var notice = NOTICE.matcher(text).region(consumed, text.length());
      if (notice.lookingAt()) {
        consumed = notice.end();
        continue;
      }
      if (mayStartNotice(text.substring(consumed))) {
        byte[] rest = Arrays.copyOfRange(pending.toByteArray(), consumed, text.length());
        pending.reset();
        pending.writeBytes(rest);
        return new byte[0];
      }
      passing = true;
      byte[] kept = Arrays.copyOfRange(pending.toByteArray(), consumed, text.length());
      pending.reset();
      return kept;
    }
  }

  /** What is held back at the end of the output (an incomplete first line). */
  byte[] rest() {
    passing = true;
    byte[] rest = pending.toByteArray();
    pending.reset();
    return rest;
  }

  /** Whether {@code text}, the first line so far, may still turn out to be a notice. */
  private static boolean mayStartNotice(String text) {
    if (text.length() > LONGEST || text.indexOf('\n') >= 0) {
      return false;
    }
    return STARTS.stream().anyMatch(start -> start.startsWith(text) || text.startsWith(start));
  }
}
