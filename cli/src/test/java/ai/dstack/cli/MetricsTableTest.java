package ai.dstack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The pieces of {@code dstack metrics}' table, drawn as dstack draws them. */
class MetricsTableTest {
  private static final Instant NOW = Instant.parse("2026-01-05T10:00:00Z");

  @Test
  void aSparklineHasAFixedScaleAndEndsWithTheLatestSample() {
    assertEquals("▁▄▇", MetricsTable.sparkline(List.of(0.0, 50.0, 100.0), 10));
    assertEquals("▇▇", MetricsTable.sparkline(List.of(150.0, 100.0), 10), "clipped at 100");
    // Twenty samples in five cells: four cells of history peaks, then the latest sample.
    var values = new java.util.ArrayList<>(Collections.nCopies(19, 0.0));
    values.set(3, 100.0);
    values.add(50.0);
    assertEquals("▇▁▁▁▄", MetricsTable.sparkline(values, 5));
    assertEquals(MetricsTable.NO_DATA, MetricsTable.sparkline(List.of(), 5));
  }

  @ParameterizedTest
  @CsvSource({"0,0MB", "524288000,500MB", "1073741824,1GB", "3758096384,4GB", "1610612736,2GB"})
  void memoryIsInMegabytesOrGigabytesRoundedAsPythonRounds(long bytes, String shown) {
    assertEquals(shown, MetricsTable.formatMemory(bytes));
  }

  @Test
  void theTimeAxisSpansTheChartsFromDateToNow() {
    var table = new MetricsTable(80, NOW, ZoneOffset.UTC);

    assertEquals(
        "5 Jan 09:00 ┄┄┄┄┄┄ now", table.timeAxis(22, NOW.minusSeconds(3600), NOW.minusSeconds(5)));
    assertEquals("09:00 ┄ 09:59", table.timeAxis(13, NOW.minusSeconds(3600), NOW.minusSeconds(60)));
    assertEquals("", table.timeAxis(8, NOW.minusSeconds(3600), NOW.minusSeconds(60)));
  }

  @Test
  void theSparklinesShareWhatTheLabelLeavesOfTheWidth() {
    assertEquals(22, new MetricsTable(80, NOW, ZoneOffset.UTC).sparkWidth(5));
    assertEquals(10, new MetricsTable(40, NOW, ZoneOffset.UTC).sparkWidth(5));
    assertEquals(80, new MetricsTable(300, NOW, ZoneOffset.UTC).sparkWidth(5));
  }
}
