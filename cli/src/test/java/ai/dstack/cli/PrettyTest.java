package ai.dstack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Values as every table prints them: times, prices, sizes. */
class PrettyTest {
  private static final Instant NOW = Instant.parse("2026-01-10T12:00:00Z");

  @Test
  void datesReadAsDstacksDo() {
    assertEquals("now", Pretty.ago(NOW.minusSeconds(3), NOW));
    assertEquals("now", Pretty.ago(NOW.plusSeconds(2), NOW));
    assertEquals("", Pretty.ago(NOW.plusSeconds(60), NOW));
    assertEquals("42 sec ago", Pretty.ago(NOW.minusSeconds(42), NOW));
    assertEquals("1 min ago", Pretty.ago(NOW.minusSeconds(90), NOW));
    assertEquals("2 mins ago", Pretty.ago(NOW.minusSeconds(150), NOW));
    assertEquals("1 hour ago", Pretty.ago(NOW.minusSeconds(3600), NOW));
    assertEquals("yesterday", Pretty.ago(NOW.minusSeconds(86_400 + 5), NOW));
    assertEquals("3 days ago", Pretty.ago(NOW.minusSeconds(3 * 86_400), NOW));
    assertEquals("1 week ago", Pretty.ago(NOW.minusSeconds(8 * 86_400), NOW));
    assertEquals("2 months ago", Pretty.ago(NOW.minusSeconds(61 * 86_400), NOW));
    assertEquals("1 year ago", Pretty.ago(NOW.minusSeconds(400 * 86_400), NOW));
  }

  @Test
  void pricesLoseTrailingZeros() {
    assertEquals("0", Pretty.amount(0.0));
    assertEquals("1.5", Pretty.amount(1.5));
    assertEquals("1.2346", Pretty.amount(1.23456));
  }

  @Test
  void memoryIsShownInGigabytesToOneDecimal() {
    assertEquals("0.5GB", Pretty.gigabytes(512));
    assertEquals("15.6GB", Pretty.gigabytes(15999));
    assertEquals("100GB", Pretty.gigabytes(102400));
    assertEquals("$0", Pretty.price(0));
    assertEquals("$1.25", Pretty.maxPrice(1.25));
  }
}
