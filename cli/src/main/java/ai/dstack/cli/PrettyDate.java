package ai.dstack.cli;

import java.time.Duration;
import java.time.Instant;

/** Times as dstack's tables show them: {@code now}, {@code 12 sec ago}, {@code 3 mins ago}, ... */
final class PrettyDate {
  private PrettyDate() {}

  /** A clock a few seconds ahead of ours still reads as {@code now}, not as a blank. */
  private static final Duration SKEW = Duration.ofSeconds(10);

  /** How long ago {@code time} was, from now; empty for null. */
  static String ago(Instant time) {
    return ago(time, Instant.now());
  }

  /** How long before {@code now} {@code time} was; empty for null or a time after now. */
  static String ago(Instant time, Instant now) {
    if (time == null) {
      return "";
    }
    var diff = Duration.between(time, now);
    if (diff.isNegative()) {
      return diff.plus(SKEW).isNegative() ? "" : "now";
    }
    long days = diff.toDays();
    long seconds = diff.minusDays(days).toSeconds();
    if (days == 0) {
      if (seconds < 10) {
        return "now";
      }
      if (seconds < 60) {
        return seconds + " sec ago";
      }
      if (seconds < 120) {
        return "1 min ago";
      }
      if (seconds < 3600) {
        return round(seconds / 60.0) + " mins ago";
      }
      if (seconds < 7200) {
        return "1 hour ago";
      }
      return round(seconds / 3600.0) + " hours ago";
    }
    if (days == 1) {
      return "yesterday";
    }
    if (days < 7) {
      return days + " days ago";
    }
    if (days < 31) {
      return plural(round(days / 7.0), "week");
    }
    if (days < 365) {
      return plural(round(days / 30.0), "month");
    }
    return plural(round(days / 365.0), "year");
  }

  private static String plural(long count, String unit) {
    return count + " " + unit + (count == 1 ? "" : "s") + " ago";
  }

  // Python's round(): halves to even.
  private static long round(double value) {
    return (long) Math.rint(value);
  }
}
