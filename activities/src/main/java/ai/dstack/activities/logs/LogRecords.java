package ai.dstack.activities.logs;

import ai.dstack.core.agents.runner.LogEvent;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.zip.CRC32C;

/**
 * The log file's record: one line per event, {@code <timestamp> <base64 of the message> <crc>\n}.
 * The timestamp is decimal milliseconds since the epoch; the CRC-32C (8 hex digits) covers what
 * precedes it on the line. A line that does not parse or whose CRC does not match (a record torn by
 * a crash) is not an event.
 */
final class LogRecords {
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  private static final int CRC_DIGITS = 8;

  private LogRecords() {}

  /** The event as one line, with its newline. */
  static byte[] encode(LogEvent event) {
    if (event.timestamp() < 0) {
      throw new IllegalArgumentException("a log event's timestamp is not negative: " + event);
    }
    byte[] message = event.message() == null ? new byte[0] : event.message();
    byte[] timestamp = Long.toString(event.timestamp()).getBytes(StandardCharsets.US_ASCII);
    byte[] base64 = Base64.getEncoder().encode(message);
    int body = timestamp.length + 1 + base64.length;
    byte[] line = new byte[body + 1 + CRC_DIGITS + 1];
    System.arraycopy(timestamp, 0, line, 0, timestamp.length);
    line[timestamp.length] = ' ';
    System.arraycopy(base64, 0, line, timestamp.length + 1, base64.length);
    var crc = new CRC32C();
    crc.update(line, 0, body);
    line[body] = ' ';
    long value = crc.getValue();
    for (int i = 0; i < CRC_DIGITS; i++) {
      line[body + 1 + i] = HEX[(int) (value >>> (4 * (CRC_DIGITS - 1 - i))) & 0xf];
    }
    line[line.length - 1] = '\n';
    return line;
  }

  /** The event of a line (without its newline), or null when the line is not a whole record. */
  static LogEvent decode(byte[] line) {
    int firstSpace = indexOf(line, (byte) ' ');
    int lastSpace = lastIndexOf(line, (byte) ' ');
    if (firstSpace <= 0 || lastSpace <= firstSpace || line.length - lastSpace - 1 != CRC_DIGITS) {
      return null;
    }
    long timestamp = 0;
    for (int i = 0; i < firstSpace; i++) {
      int digit = line[i] - '0';
      if (digit < 0 || digit > 9 || i >= 18) {
        return null;
      }
      timestamp = timestamp * 10 + digit;
    }
    long expected = 0;
    for (int i = lastSpace + 1; i < line.length; i++) {
      int digit = Arrays.binarySearch(HEX, line[i]);
      if (digit < 0) {
        return null;
      }
      expected = expected << 4 | digit;
    }
    var crc = new CRC32C();
    crc.update(line, 0, lastSpace);
    if (crc.getValue() != expected) {
      return null;
    }
    try {
      byte[] message =
          Base64.getDecoder().decode(Arrays.copyOfRange(line, firstSpace + 1, lastSpace));
      return new LogEvent(timestamp, message);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static int indexOf(byte[] bytes, byte b) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }

  private static int lastIndexOf(byte[] bytes, byte b) {
    for (int i = bytes.length - 1; i >= 0; i--) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }
}
