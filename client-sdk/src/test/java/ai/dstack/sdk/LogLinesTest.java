package ai.dstack.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class LogLinesTest {

  static Stream<Arguments> chunkings() {
    return Stream.of(
        Arguments.of(List.of("a\nb\n"), List.of("a", "b")),
        Arguments.of(List.of("a", "b\n", "c\n"), List.of("ab", "c")),
        Arguments.of(List.of("a\r\n\nb"), List.of("a", "", "b")),
        Arguments.of(List.of("\u00e9t", "\u00e9\n"), List.of("\u00e9t\u00e9")),
        Arguments.of(List.<String>of(), List.<String>of()),
        Arguments.of(List.of("", "x\n", ""), List.of("x")));
  }

  @ParameterizedTest
  @MethodSource("chunkings")
  void linesSpanChunksAndAChunkHoldsMany(List<String> chunks, List<String> expected) {
    var bytes = chunks.stream().map(c -> c.getBytes(StandardCharsets.UTF_8)).iterator();
    var lines = new ArrayList<String>();
    new LogLines(bytes).forEachRemaining(lines::add);
    assertEquals(expected, lines);
  }

  @org.junit.jupiter.api.Test
  void aCharacterSplitAcrossChunksIsDecodedWhole() {
    byte[] e = "\u00e9\n".getBytes(StandardCharsets.UTF_8);
    var chunks = List.of(new byte[] {e[0]}, new byte[] {e[1], e[2]}).iterator();
    var lines = new ArrayList<String>();
    new LogLines(chunks).forEachRemaining(lines::add);
    assertEquals(List.of("\u00e9"), lines);
  }
}
