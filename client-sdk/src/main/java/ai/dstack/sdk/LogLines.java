package ai.dstack.sdk;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Lines of a log given as byte chunks: a line may span chunks, and a chunk may hold several; each
 * line is decoded as UTF-8, without its {@code \n} (or {@code \r\n}). A last line without a newline
 * is given when the chunks end.
 */
final class LogLines implements Iterator<String> {
  private final Iterator<byte[]> chunks;
  private final ArrayDeque<String> lines = new ArrayDeque<>();
  private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
  private boolean ended;

  LogLines(Iterator<byte[]> chunks) {
    this.chunks = chunks;
  }

  @Override
  public boolean hasNext() {
    while (lines.isEmpty() && !ended) {
      if (chunks.hasNext()) {
        split(chunks.next());
      } else {
        ended = true;
        if (partial.size() > 0) {
          lines.add(line());
        }
      }
    }
    return !lines.isEmpty();
  }

  @Override
  public String next() {
    if (!hasNext()) {
      throw new NoSuchElementException("no more lines");
    }
    return lines.removeFirst();
  }

  private void split(byte[] chunk) {
    int start = 0;
    for (int i = 0; i < chunk.length; i++) {
      if (chunk[i] == '\n') {
        partial.write(chunk, start, i - start);
        lines.add(line());
        start = i + 1;
      }
    }
    partial.write(chunk, start, chunk.length - start);
  }

  private String line() {
    String line = partial.toString(StandardCharsets.UTF_8);
    partial.reset();
    return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
  }
}
