package ai.dstack.runner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MultipartFileTest {
  private static final String BOUNDARY = "----boundary42";

  @ParameterizedTest(name = "read {0} bytes at a time")
  @ValueSource(ints = {1, 7, 1000, 1 << 20})
  void streamsTheFileWhateverTheReadSizes(int readSize) throws Exception {
    byte[] content = new byte[300_000];
    new Random(1).nextBytes(content);
    // the boundary's prefix inside the content must not end it
    byte[] near = ("\r\n--" + BOUNDARY.substring(0, 8)).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(near, 0, content, 1000, near.length);

    var form =
        MultipartFile.open(contentType(), trickle(body("archive", "id-1", content), readSize));
    var part = form.firstPart();
    byte[] read = part.content().readAllBytes();
    form.requireEnd();

    assertEquals("archive", part.fieldName());
    assertEquals("id-1", part.fileName());
    assertArrayEquals(content, read);
  }

  @Test
  void refusesASecondPart() throws Exception {
    byte[] first = body("archive", "a", "one".getBytes(StandardCharsets.UTF_8));
    String second =
        "\r\n--"
            + BOUNDARY
            + "\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\ntwo\r\n--"
            + BOUNDARY
            + "--\r\n";
    byte[] withTwo =
        (new String(first, StandardCharsets.ISO_8859_1)
                .replace("\r\n--" + BOUNDARY + "--\r\n", second))
            .getBytes(StandardCharsets.ISO_8859_1);

    var form = MultipartFile.open(contentType(), new ByteArrayInputStream(withTwo));
    form.firstPart().content().readAllBytes();
    ApiError error = assertThrows(ApiError.class, form::requireEnd);

    assertEquals(400, error.status());
    assertEquals("extra form field(s): one file field is expected", error.getMessage());
  }

  @Test
  void refusesABodyCutShort() throws Exception {
    byte[] body = body("archive", "a", new byte[10_000]);
    byte[] cut = Arrays.copyOf(body, body.length - 30);

    var form = MultipartFile.open(contentType(), new ByteArrayInputStream(cut));
    InputStream content = form.firstPart().content();
    ApiError error = assertThrows(ApiError.class, content::readAllBytes);

    assertEquals("the body ends without its closing boundary", error.getMessage());
  }

  private static String contentType() {
    return "multipart/form-data; boundary=" + BOUNDARY;
  }

  private static byte[] body(String field, String fileName, byte[] content) {
    var out = new ByteArrayOutputStream();
    out.writeBytes(
        ("--"
                + BOUNDARY
                + "\r\nContent-Disposition: form-data; name=\""
                + field
                + "\"; filename=\""
                + fileName
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(content);
    out.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  private static InputStream trickle(byte[] bytes, int readSize) {
    return new FilterInputStream(new ByteArrayInputStream(bytes)) {
      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        return super.read(b, off, Math.min(len, readSize));
      }
    };
  }
}
