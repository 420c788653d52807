package ai.dstack.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.UnaryOperator;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarExtractorTest {
  @TempDir Path dir;

  @Test
  void extractsFilesDirsSymlinksAndModes() throws Exception {
    Path source = Files.createDirectories(dir.resolve("source/bin"));
    Files.writeString(source.resolve("run.sh"), "#!/bin/sh\necho hi\n");
    Files.setPosixFilePermissions(
        source.resolve("run.sh"), PosixFilePermissions.fromString("rwxr-x---"));
    Files.createSymbolicLink(source.resolve("link"), Path.of("run.sh"));
    byte[] tar = RunnerUploadTest.tar(dir.resolve("source"), ".");

    Path out = dir.resolve("out");
    TarExtractor.extract(new ByteArrayInputStream(tar), out, UnaryOperator.identity());

    assertEquals("#!/bin/sh\necho hi\n", Files.readString(out.resolve("bin/run.sh")));
    assertEquals(
        "rwxr-x---",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("bin/run.sh"))));
    assertEquals(Path.of("run.sh"), Files.readSymbolicLink(out.resolve("bin/link")));
  }

  @Test
  void extractsGzippedArchives() throws Exception {
    Files.createDirectories(dir.resolve("source"));
    Files.writeString(dir.resolve("source/a.txt"), "a");
    byte[] tar = RunnerUploadTest.tar(dir.resolve("source"), "a.txt");
    var gzipped = new ByteArrayOutputStream();
    try (var gzip = new GZIPOutputStream(gzipped)) {
      gzip.write(tar);
    }

    TarExtractor.extract(
        new ByteArrayInputStream(gzipped.toByteArray()),
        dir.resolve("out"),
        UnaryOperator.identity());

    assertEquals("a", Files.readString(dir.resolve("out/a.txt")));
  }

  @Test
  void refusesEntriesThatClimbOutOfTheDestination() throws Exception {
    // GNU tar will not write "../" names on its own; write the header by hand.
    byte[] evil = singleFileTar("../evil.txt", "pwned");

    IOException error =
        assertThrows(
            IOException.class,
            () ->
                TarExtractor.extract(
                    new ByteArrayInputStream(evil), dir.resolve("out"), UnaryOperator.identity()));

    assertTrue(error.getMessage().contains("points outside the destination"), error.getMessage());
    assertFalse(Files.exists(dir.resolve("evil.txt")));
  }

  @Test
  void refusesWritingThroughASymlinkThatLeadsOut() throws Exception {
    Path outside = Files.createDirectories(dir.resolve("outside"));
    var tar = new ByteArrayOutputStream();
    tar.writeBytes(header("link", 0, '2', outside.toString()));
    tar.writeBytes(singleFileTarBody("link/evil.txt", "pwned"));

    IOException error =
        assertThrows(
            IOException.class,
            () ->
                TarExtractor.extract(
                    new ByteArrayInputStream(tar.toByteArray()),
                    dir.resolve("out"),
                    UnaryOperator.identity()));

    assertTrue(error.getMessage().contains("through a symlink"), error.getMessage());
    assertFalse(Files.exists(outside.resolve("evil.txt")));
  }

  @Test
  void refusesWhatIsNotATarArchive() {
    byte[] garbage = "this is not a tar archive".repeat(100).getBytes(StandardCharsets.UTF_8);

    IOException error =
        assertThrows(
            IOException.class,
            () ->
                TarExtractor.extract(
                    new ByteArrayInputStream(garbage),
                    dir.resolve("out"),
                    UnaryOperator.identity()));

    assertTrue(error.getMessage().startsWith("not a tar archive"), error.getMessage());
  }

  @Test
  void renamesEntriesAsFileArchivesNeed() throws Exception {
    Files.createDirectories(dir.resolve("source/configs/nested"));
    Files.writeString(dir.resolve("source/configs/nested/a.yaml"), "a");
    byte[] tar = RunnerUploadTest.tar(dir.resolve("source"), "configs");

    TarExtractor.extract(
        new ByteArrayInputStream(tar),
        dir.resolve("out"),
        name -> "app" + name.replaceFirst("^[^/]*", ""));

    assertEquals("a", Files.readString(dir.resolve("out/app/nested/a.yaml")));
  }

  private static byte[] singleFileTar(String name, String content) {
    var tar = new ByteArrayOutputStream();
    tar.writeBytes(singleFileTarBody(name, content));
    return tar.toByteArray();
  }

  private static byte[] singleFileTarBody(String name, String content) {
    var tar = new ByteArrayOutputStream();
    byte[] data = content.getBytes(StandardCharsets.UTF_8);
    tar.writeBytes(header(name, data.length, '0', ""));
    tar.writeBytes(data);
    tar.writeBytes(new byte[512 - data.length % 512]);
    tar.writeBytes(new byte[1024]);
    return tar.toByteArray();
  }

  /** A ustar header with a correct checksum. */
  private static byte[] header(String name, long size, char type, String link) {
    byte[] header = new byte[512];
    put(header, 0, name);
    put(header, 100, "0000644\0");
    put(header, 108, "0000000\0");
    put(header, 116, "0000000\0");
    put(header, 124, String.format("%011o\0", size));
    put(header, 136, "00000000000\0");
    header[156] = (byte) type;
    put(header, 157, link);
    put(header, 257, "ustar\0");
    put(header, 263, "00");
    int sum = 0;
    for (int i = 0; i < 512; i++) {
      sum += (i >= 148 && i < 156) ? ' ' : header[i] & 0xff;
    }
    put(header, 148, String.format("%06o\0 ", sum));
    return header;
  }

  private static void put(byte[] header, int offset, String value) {
    byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(bytes, 0, header, offset, bytes.length);
  }
}
