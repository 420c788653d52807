package ai.dstack.activities.logs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;

/**
 * Reads a log file's lines forwards or backwards, each with its byte offsets. Only whole lines
 * count: bytes after the last newline are a record still being written, or torn by a crash.
 */
final class LogLines {
  private static final int CHUNK = 64 * 1024;

  private LogLines() {}

  /**
   * A line.
   *
   * @param start the offset of its first byte
   * @param end the offset after its newline
   * @param content its bytes without the newline
   */
  record Line(long start, long end, byte[] content) {}

  /** The lines from {@code start} on, oldest first. */
  static final class Forward {
    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(CHUNK).limit(0);
    private long readPosition;
    private long lineStart;

    Forward(FileChannel channel, long start) {
      this.channel = channel;
      this.readPosition = start;
      this.lineStart = start;
    }

    /** The next whole line, or null at the end. */
    Line next() throws IOException {
      byte[] content = new byte[0];
      int length = 0;
      while (true) {
        if (!buffer.hasRemaining()) {
          buffer.clear();
          int read = channel.read(buffer, readPosition);
          buffer.flip();
          if (read <= 0) {
            return null;
          }
          readPosition += read;
        }
        byte[] bytes = buffer.array();
        int from = buffer.position();
        int limit = buffer.limit();
        int at = from;
        while (at < limit && bytes[at] != '\n') {
          at++;
        }
        int piece = at - from;
        if (length + piece > content.length) {
          content = Arrays.copyOf(content, Math.max(length + piece, content.length * 2));
        }
        System.arraycopy(bytes, from, content, length, piece);
        length += piece;
        if (at < limit) {
          buffer.position(at + 1);
          long start = lineStart;
          lineStart = start + length + 1;
          return new Line(start, lineStart, Arrays.copyOf(content, length));
        }
        buffer.position(limit);
      }
    }
  }

  /** The lines that end at or before {@code end}, newest first. */
  static final class Backward {
    private final FileChannel channel;
    private long end;
    private long windowStart;
    private byte[] window = new byte[0];

    /**
     * @param end a line boundary: 0, or the offset after a newline
     */
    Backward(FileChannel channel, long end) {
      this.channel = channel;
      this.end = end;
      this.windowStart = end;
    }

    /** The previous whole line, or null at the start of the file. */
    Line next() throws IOException {
      if (end <= 0) {
        return null;
      }
      long newline = end - 1;
      long search = newline - 1;
      long start;
      while (true) {
        if (search >= windowStart) {
          int found = lastNewline(window, (int) (search - windowStart));
          if (found >= 0) {
            start = windowStart + found + 1;
            break;
          }
        }
        if (windowStart == 0) {
          start = 0;
          break;
        }
        search = Math.min(search, windowStart - 1);
        extend();
      }
      byte[] content =
          Arrays.copyOfRange(window, (int) (start - windowStart), (int) (newline - windowStart));
      Line line = new Line(start, end, content);
      end = start;
      return line;
    }

    /** Reads the chunk before the window into it, dropping what lies after {@link #end}. */
    private void extend() throws IOException {
      long from = Math.max(0, windowStart - CHUNK);
      int kept = (int) (end - windowStart);
      byte[] extended = new byte[(int) (windowStart - from) + kept];
      ByteBuffer buffer = ByteBuffer.wrap(extended, 0, (int) (windowStart - from));
      while (buffer.hasRemaining()) {
        if (channel.read(buffer, from + buffer.position()) < 0) {
          throw new IOException("the log file shrank while it was read");
        }
      }
      System.arraycopy(window, 0, extended, (int) (windowStart - from), kept);
      window = extended;
      windowStart = from;
    }

    private static int lastNewline(byte[] bytes, int from) {
      for (int i = from; i >= 0; i--) {
        if (bytes[i] == '\n') {
          return i;
        }
      }
      return -1;
    }
  }

  /** The offset after the last newline before {@code limit}: where whole lines end; 0 if none. */
  static long wholeLinesEnd(FileChannel channel, long limit) throws IOException {
    long position = limit;
    ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
    while (position > 0) {
      long from = Math.max(0, position - CHUNK);
      buffer.clear().limit((int) (position - from));
      while (buffer.hasRemaining()) {
        if (channel.read(buffer, from + buffer.position()) < 0) {
          return 0;
        }
      }
      for (int i = buffer.position() - 1; i >= 0; i--) {
        if (buffer.get(i) == '\n') {
          return from + i + 1;
        }
      }
      position = from;
    }
    return 0;
  }
}
