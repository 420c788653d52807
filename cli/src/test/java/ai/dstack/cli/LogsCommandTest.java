package ai.dstack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code dstack logs --since} as dstack reads it: a duration back from now, or a date-time. */
class LogsCommandTest {
  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

  @ParameterizedTest
  @CsvSource({"90, 90", "10s, 10", "5m, 300", "2h, 7200", "1d, 86400", "1w, 604800", "'3 m', 180"})
  void sinceTakesSecondsOrADurationBackFromNow(String since, long seconds) {
    assertEquals(NOW.minusSeconds(seconds), LogsCommand.since(since, NOW));
  }

  @ParameterizedTest
  @CsvSource({
    "2023-09-24T15:30:00Z, 2023-09-24T15:30:00Z",
    "2023-09-24T17:30:00+02:00, 2023-09-24T15:30:00Z",
    "'2023-09-24 15:30:00.5+00:00', 2023-09-24T15:30:00.500Z"
  })
  void sinceTakesADateTimeWithItsOffset(String since, String instant) {
    assertEquals(Instant.parse(instant), LogsCommand.since(since, NOW));
  }

  @Test
  void sinceWithoutATimeZoneIsRefusedWithTheFix() {
    var naive =
        assertThrows(CliException.class, () -> LogsCommand.since("2023-09-24T15:30:00", NOW));

    assertTrue(naive.getMessage().contains("no time zone"), naive.getMessage());
    assertTrue(naive.getMessage().contains("2023-09-24T15:30:00Z"), naive.getMessage());
  }

  @Test
  void anUnreadableSinceSaysWhatIsExpected() {
    var garbage = assertThrows(CliException.class, () -> LogsCommand.since("soon", NOW));

    assertTrue(garbage.getMessage().contains("neither a duration"), garbage.getMessage());
  }
}
