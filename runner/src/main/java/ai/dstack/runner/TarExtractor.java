package ai.dstack.runner;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.zip.GZIPInputStream;

/**
 * Extracts tar archives (ustar, pax and GNU long names; gzipped or not), as Python's tarfile writes
 * them for dstack's code and file archives. No entry lands outside the destination: absolute names
 * are made relative, names with {@code ..} are refused, and nothing is written through a symlink
 * that leads out.
 */
final class TarExtractor {
  private static final int BLOCK = 512;
  private static final int MAX_META_BYTES = 1 << 20;

  private TarExtractor() {}

  /**
   * Extracts {@code archive} under {@code destination}, each entry's name passed through {@code
   * rename} first.
   *
   * @return the paths created, parents first
   */
  static List<Path> extract(InputStream archive, Path destination, UnaryOperator<String> rename)
      throws IOException {
    Files.createDirectories(destination);
    Path root = destination.toRealPath();
    InputStream in = gunzipped(new BufferedInputStream(archive, 1 << 16));
    var created = new ArrayList<Path>();
    var directoryModes = new LinkedHashMap<Path, Integer>();
    byte[] header = new byte[BLOCK];
    String longName = null;
    String longLink = null;
    Map<String, String> pax = Map.of();
    int entries = 0;
    while (readBlock(in, header)) {
      if (isZero(header)) {
        break;
      }
      entries++;
      checkChecksum(header, entries);
      char type = (char) header[156];
      long size = number(header, 124, 12);
      switch (type) {
        case 'x' -> {
          pax = pax(readMeta(in, size));
          continue;
        }
        case 'g' -> {
          skip(in, padded(size));
          continue;
        }
        case 'L' -> {
          longName = cString(readMeta(in, size), 0, (int) size);
          continue;
        }
        case 'K' -> {
          longLink = cString(readMeta(in, size), 0, (int) size);
          continue;
        }
        default -> {}
      }
      String name = cString(header, 0, 100);
      if (new String(header, 257, 5, StandardCharsets.US_ASCII).equals("ustar")) {
        String prefix = cString(header, 345, 155);
        if (!prefix.isEmpty()) {
          name = prefix + "/" + name;
        }
      }
      String link = cString(header, 157, 100);
      name = longName != null ? longName : pax.getOrDefault("path", name);
      link = longLink != null ? longLink : pax.getOrDefault("linkpath", link);
      if (pax.containsKey("size")) {
        size = Long.parseLong(pax.get("size").strip());
      }
      longName = null;
      longLink = null;
      pax = Map.of();
      int mode = (int) number(header, 100, 8) & 07777;
      long mtime = number(header, 136, 12);

      String relative = relative(name);
      if (relative.isEmpty()) {
        skip(in, padded(size));
        continue;
      }
      Path target = inside(root, rename.apply(relative), name);
      switch (type) {
        case '5' -> {
          Files.createDirectories(target);
          created.add(target);
          directoryModes.put(target, mode);
          skip(in, padded(size));
        }
        case '0', '\0', '7' -> {
          prepareParent(root, target, name, created);
          Files.deleteIfExists(target);
          try (OutputStream out = Files.newOutputStream(target)) {
            copy(in, out, size);
          }
          skip(in, padded(size) - size);
          setMode(target, mode);
          Files.setLastModifiedTime(target, FileTime.fromMillis(mtime * 1000));
          created.add(target);
        }
        case '2' -> {
          prepareParent(root, target, name, created);
          Files.deleteIfExists(target);
          Files.createSymbolicLink(target, Path.of(link));
          created.add(target);
          skip(in, padded(size));
        }
        case '1' -> {
          prepareParent(root, target, name, created);
          Path existing = inside(root, rename.apply(relative(link)), link);
          Files.deleteIfExists(target);
          try {
            Files.createLink(target, existing);
          } catch (IOException | UnsupportedOperationException e) {
            Files.copy(existing, target, StandardCopyOption.REPLACE_EXISTING);
          }
          created.add(target);
          skip(in, padded(size));
        }
        default -> skip(in, padded(size)); // devices and FIFOs have no place in a repo
      }
    }
    for (var directory : directoryModes.entrySet()) {
      // Directory modes last: a read-only directory would refuse the files extracted into it.
      setMode(directory.getKey(), directory.getValue());
    }
    return created;
  }

  /** The entry's name made relative ({@code /a} and {@code ./a} are {@code a}); "" for the root. */
  static String relative(String name) {
    String relative = name;
    while (relative.startsWith("/")) {
      relative = relative.substring(1);
    }
    while (relative.startsWith("./")) {
      relative = relative.substring(2);
    }
    while (relative.endsWith("/")) {
      relative = relative.substring(0, relative.length() - 1);
    }
    return relative.equals(".") ? "" : relative;
  }

  private static Path inside(Path root, String relative, String originalName) throws IOException {
    for (String part : relative.split("/")) {
      if (part.equals("..")) {
        throw new IOException("archive entry " + originalName + " points outside the destination");
      }
    }
    Path target = root.resolve(relative).normalize();
    if (!target.startsWith(root)) {
      throw new IOException("archive entry " + originalName + " points outside the destination");
    }
    return target;
  }

  private static void prepareParent(Path root, Path target, String name, List<Path> created)
      throws IOException {
    Path parent = target.getParent();
    if (!Files.isDirectory(parent)) {
      Files.createDirectories(parent);
      created.add(parent);
    }
    if (!parent.toRealPath().startsWith(root)) {
      throw new IOException("archive entry " + name + " would be written through a symlink");
    }
  }

  private static void setMode(Path path, int mode) throws IOException {
    if (Files.isSymbolicLink(path)) {
      return;
    }
    Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
    PosixFilePermission[] bits = {
      PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
      PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE,
      PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
      PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
      PosixFilePermission.OWNER_READ
    };
    for (int bit = 0; bit < bits.length; bit++) {
      if ((mode & (1 << bit)) != 0) {
        permissions.add(bits[bit]);
      }
    }
    try {
      Files.setPosixFilePermissions(path, permissions);
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: keep the defaults
    }
  }

  private static InputStream gunzipped(BufferedInputStream in) throws IOException {
    in.mark(2);
    int first = in.read();
    int second = in.read();
    in.reset();
    return first == 0x1f && second == 0x8b ? new GZIPInputStream(in, 1 << 16) : in;
  }

  private static boolean readBlock(InputStream in, byte[] block) throws IOException {
    int read = in.readNBytes(block, 0, BLOCK);
    if (read == 0) {
      return false;
    }
    if (read < BLOCK) {
      throw new EOFException("the archive ends in the middle of a header");
    }
    return true;
  }

  private static boolean isZero(byte[] block) {
    for (byte b : block) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  private static void checkChecksum(byte[] header, int entry) throws IOException {
    long expected = number(header, 148, 8);
    long sum = 0;
    for (int i = 0; i < BLOCK; i++) {
      sum += (i >= 148 && i < 156) ? ' ' : (header[i] & 0xff);
    }
    if (sum != expected) {
      throw new IOException("not a tar archive: the header of entry " + entry + " is corrupt");
    }
  }

  /** An octal number, or a base-256 one (first byte's high bit set) as GNU tar writes big sizes. */
  private static long number(byte[] header, int offset, int length) throws IOException {
    if ((header[offset] & 0x80) != 0) {
      long value = header[offset] & 0x7f;
      for (int i = 1; i < length; i++) {
        value = (value << 8) | (header[offset + i] & 0xff);
      }
      return value;
    }
    int at = offset;
    int end = offset + length;
    while (at < end && (header[at] == ' ' || header[at] == 0)) {
      at++;
    }
    long value = 0;
    for (; at < end && header[at] != ' ' && header[at] != 0; at++) {
      byte digit = header[at];
      if (digit < '0' || digit > '7') {
        throw new IOException("not a tar archive: a number field holds '" + (char) digit + "'");
      }
      value = value * 8 + (digit - '0');
    }
    return value;
  }

  private static String cString(byte[] bytes, int offset, int length) {
    int end = offset;
    while (end < offset + length && bytes[end] != 0) {
      end++;
    }
    return new String(bytes, offset, end - offset, StandardCharsets.UTF_8);
  }

  /** The records of a pax extended header: {@code "LENGTH key=value\n"}, LENGTH in bytes. */
  private static Map<String, String> pax(byte[] records) {
    var values = new HashMap<String, String>();
    int at = 0;
    while (at < records.length) {
      int space = at;
      int length = 0;
      while (space < records.length && records[space] >= '0' && records[space] <= '9') {
        length = length * 10 + (records[space] - '0');
        space++;
      }
      if (space >= records.length || records[space] != ' ' || length <= 0) {
        break;
      }
      int end = at + length;
      if (end > records.length) {
        break;
      }
      String record = new String(records, space + 1, end - space - 2, StandardCharsets.UTF_8);
      int eq = record.indexOf('=');
      if (eq > 0) {
        values.put(record.substring(0, eq), record.substring(eq + 1));
      }
      at = end;
    }
    return values;
  }

  private static byte[] readMeta(InputStream in, long size) throws IOException {
    if (size > MAX_META_BYTES) {
      throw new IOException("not a tar archive: an extended header of " + size + " bytes");
    }
    byte[] bytes = in.readNBytes((int) size);
    if (bytes.length < size) {
      throw new EOFException("the archive ends in the middle of an extended header");
    }
    skip(in, padded(size) - size);
    return bytes;
  }

  private static void copy(InputStream in, OutputStream out, long size) throws IOException {
    byte[] buffer = new byte[1 << 16];
    long left = size;
    while (left > 0) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
      if (n < 0) {
        throw new EOFException("the archive ends in the middle of a file");
      }
      out.write(buffer, 0, n);
      left -= n;
    }
  }

  private static void skip(InputStream in, long bytes) throws IOException {
    in.skipNBytes(bytes);
  }

  private static long padded(long size) {
    return (size + BLOCK - 1) / BLOCK * BLOCK;
  }
}
