package ai.dstack.runner;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * Reads a {@code multipart/form-data} body that holds exactly one file field, streaming the file's
 * bytes: how dstack's server uploads file archives ({@code files={"archive": (id, file)}}).
 */
final class MultipartFile {
  private static final int MAX_HEADER_BYTES = 16 * 1024;

  /** The field's name and file name, and its content to be read exactly once. */
  record Part(String fieldName, String fileName, InputStream content) {}

  private final InputStream in;
  private final byte[] delimiter;
  private final byte[] buffer;
  private int start;
  private int end;
  private int safeEnd;
  private boolean delimiterFound;
  private boolean eof;

  private MultipartFile(InputStream in, String boundary) {
    this.in = in;
    this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.US_ASCII);
    this.buffer = new byte[(1 << 16) + delimiter.length];
  }

  /**
   * The body's single part. Throws {@link ApiError} for what the request got wrong; once {@code
   * content} is read to its end, {@link #requireEnd} checks that no other part follows.
   */
  static MultipartFile open(String contentType, InputStream body) {
    if (contentType == null) {
      throw ApiError.badRequest("missing Content-Type: multipart/form-data expected");
    }
    String[] params = contentType.split(";");
    String mediaType = params[0].strip().toLowerCase(Locale.ROOT);
    if (!mediaType.equals("multipart/form-data")) {
      throw ApiError.badRequest("multipart/form-data expected, got " + mediaType);
    }
    String boundary = null;
    for (int i = 1; i < params.length; i++) {
      String param = params[i].strip();
      if (param.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
        boundary = unquote(param.substring("boundary=".length()));
      }
    }
    if (boundary == null || boundary.isEmpty()) {
      throw ApiError.badRequest("missing boundary in Content-Type");
    }
    return new MultipartFile(body, boundary);
  }

  /** Reads up to the first part's content: the preamble, the boundary and the part's headers. */
  Part firstPart() throws IOException {
    byte[] opening = Arrays.copyOfRange(delimiter, 2, delimiter.length);
    // The preamble is rarely there; the first boundary may come without the CRLF before it.
    String line = readLine();
    while (line != null && !line.equals(new String(opening, StandardCharsets.US_ASCII))) {
      line = readLine();
    }
    if (line == null) {
      throw ApiError.badRequest("empty form: the body has no part");
    }
    String name = null;
    String fileName = null;
    int headerBytes = 0;
    while (!(line = readLineOrFail()).isEmpty()) {
      headerBytes += line.length();
      if (headerBytes > MAX_HEADER_BYTES) {
        throw ApiError.badRequest("the part's headers are too long");
      }
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).strip().equalsIgnoreCase("Content-Disposition")) {
        name = parameter(line.substring(colon + 1), "name");
        fileName = parameter(line.substring(colon + 1), "filename");
      }
    }
    if (name == null || name.isEmpty()) {
      throw ApiError.badRequest("missing field name in the part's Content-Disposition");
    }
    return new Part(name, fileName, new PartContent());
  }

  /** Checks that the part just read was the last one. */
  void requireEnd() throws IOException {
    if (!delimiterFound) {
      throw new IllegalStateException("the part's content was not read to its end");
    }
    byte[] trailer = new byte[2];
    int n = 0;
    while (n < 2) {
      if (start < end) {
        trailer[n++] = buffer[start++];
      } else {
        int read = in.read();
        if (read < 0) {
          break;
        }
        trailer[n++] = (byte) read;
      }
    }
    if (n == 2 && trailer[0] == '-' && trailer[1] == '-') {
      return;
    }
    if (n == 2 && trailer[0] == '\r' && trailer[1] == '\n') {
      throw ApiError.badRequest("extra form field(s): one file field is expected");
    }
    throw ApiError.badRequest("the body ends without its closing boundary");
  }

  private final class PartContent extends InputStream {
    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] into, int offset, int length) throws IOException {
      if (length == 0) {
        return 0;
      }
      while (start >= safeEnd) {
        if (delimiterFound) {
          return -1;
        }
        fill();
      }
      int n = Math.min(length, safeEnd - start);
      System.arraycopy(buffer, start, into, offset, n);
      start += n;
      return n;
    }
  }

  /** Reads more of the body and finds how much of the buffer is content for sure. */
  private void fill() throws IOException {
    if (start > 0) {
      System.arraycopy(buffer, start, buffer, 0, end - start);
      end -= start;
      safeEnd -= start;
      start = 0;
    }
    if (!eof) {
      int n = in.read(buffer, end, buffer.length - end);
      if (n < 0) {
        eof = true;
      } else {
        end += n;
      }
    }
    int at = indexOf(buffer, end, delimiter);
    if (at >= 0) {
      safeEnd = at;
      delimiterFound = true;
      // what follows the delimiter stays in the buffer for requireEnd()
      compactAfterDelimiter(at);
    } else if (eof) {
      throw ApiError.badRequest("the body ends without its closing boundary");
    } else {
      safeEnd = Math.max(start, end - (delimiter.length - 1));
    }
  }

  private void compactAfterDelimiter(int at) {
    // Keep the content [start, at) readable, then the rest after the delimiter.
    int after = at + delimiter.length;
    System.arraycopy(buffer, after, buffer, at, end - after);
    end -= delimiter.length;
  }

  private static int indexOf(byte[] bytes, int length, byte[] pattern) {
    outer:
    for (int i = 0; i + pattern.length <= length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (bytes[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private String readLineOrFail() throws IOException {
    String line = readLine();
    if (line == null) {
      throw ApiError.badRequest("the body ends in the part's headers");
    }
    return line;
  }

  /** A CRLF- or LF-terminated ASCII line from the buffer and the body; null at the end. */
  private String readLine() throws IOException {
    var line = new ByteArrayOutputStream();
    while (true) {
      if (start >= end) {
        start = 0;
        end = 0;
        int n = in.read(buffer, 0, buffer.length);
        if (n < 0) {
          return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
        }
        end = n;
      }
      byte b = buffer[start++];
      if (b == '\n') {
        String text = line.toString(StandardCharsets.UTF_8);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
      }
      if (line.size() > MAX_HEADER_BYTES) {
        throw ApiError.badRequest("a line of the multipart body is too long");
      }
      line.write(b);
    }
  }

  private static String parameter(String header, String name) {
    for (String part : header.split(";")) {
      String param = part.strip();
      int eq = param.indexOf('=');
      if (eq > 0 && param.substring(0, eq).strip().equalsIgnoreCase(name)) {
        return unquote(param.substring(eq + 1).strip());
      }
    }
    return null;
  }

  private static String unquote(String value) {
    return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
        ? value.substring(1, value.length() - 1)
        : value;
  }
}
