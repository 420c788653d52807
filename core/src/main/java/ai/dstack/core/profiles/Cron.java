package ai.dstack.core.profiles;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Checks cron expressions as dstack's scheduler reads them: five fields (minute, hour, day of
 * month, month, day of week), each a comma list of {@code *}, {@code *}/step, N, N-M, N-M/step,
 * N/step or names (jan..dec, mon..sun). Day of week counts from 0 = Monday to 6 = Sunday.
 */
final class Cron {
  private Cron() {}

  private static final List<String> MONTHS =
      List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec");
  private static final List<String> WEEKDAYS =
      List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");

  private static final Pattern ALL = Pattern.compile("\\*(?:/([0-9]+))?");
  private static final Pattern RANGE = Pattern.compile("([0-9]+)(?:-([0-9]+))?(?:/([0-9]+))?");
  private static final Pattern NAMES =
      Pattern.compile("([a-z]+)(?:-([a-z]+))?", Pattern.CASE_INSENSITIVE);
  private static final Pattern LAST = Pattern.compile("last", Pattern.CASE_INSENSITIVE);

  private record Kind(String name, int position, int min, int max) {}

  // Checked in the order the scheduler compiles them, so the first problem is the one it reports.
  private static final List<Kind> ORDER =
      List.of(
          new Kind("month", 3, 1, 12),
          new Kind("day", 2, 1, 31),
          new Kind("day-of-week", 4, 0, 6),
          new Kind("hour", 1, 0, 23),
          new Kind("minute", 0, 0, 59));

  /** What is wrong with the expression, or null when it is valid. */
  static String problem(String expression) {
    var fields = expression.strip().isEmpty() ? new String[0] : expression.strip().split("\\s+");
    if (fields.length != 5) {
      return "has "
          + fields.length
          + " field"
          + (fields.length == 1 ? "" : "s")
          + "; write 5: minute hour day month day-of-week, e.g. \"0 8 * * *\"";
    }
    for (var kind : ORDER) {
      for (var part : fields[kind.position()].split(",", -1)) {
        String problem;
        try {
          problem = part(part, kind);
        } catch (NumberFormatException e) {
          problem = "\"" + part + "\" has a number too large for the " + kind.name() + " field";
        }
        if (problem != null) {
          return problem;
        }
      }
    }
    return null;
  }

  private static String part(String part, Kind kind) {
    var m = ALL.matcher(part);
    if (m.matches()) {
      var step = m.group(1) == null ? null : Long.parseLong(m.group(1));
      return checkRange(part, kind, kind.min(), null, step);
    }
    m = RANGE.matcher(part);
    if (m.matches()) {
      long first = Long.parseLong(m.group(1));
      Long last = m.group(2) == null ? null : Long.parseLong(m.group(2));
      Long step = m.group(3) == null ? null : Long.parseLong(m.group(3));
      if (last == null && step == null) {
        last = first;
      }
      return checkRange(part, kind, first, last, step);
    }
    m = NAMES.matcher(part);
    if (!kind.name().equals("day")
        && !kind.name().equals("hour")
        && !kind.name().equals("minute")
        && m.lookingAt()) {
      var names = kind.name().equals("month") ? MONTHS : WEEKDAYS;
      var offset = kind.name().equals("month") ? 1 : 0;
      var first = names.indexOf(m.group(1).toLowerCase(Locale.ROOT));
      var last = m.group(2) == null ? -1 : names.indexOf(m.group(2).toLowerCase(Locale.ROOT));
      if (first < 0 || m.group(2) != null && last < 0) {
        var bad = first < 0 ? m.group(1) : m.group(2);
        return "\"" + bad + "\" is not a " + kind.name() + " name; use " + String.join(", ", names);
      }
      return checkRange(
          part, kind, first + offset, m.group(2) == null ? null : (long) (last + offset), null);
    }
    if (kind.name().equals("day") && LAST.matcher(part).lookingAt()) {
      return null;
    }
    return "\""
        + part
        + "\" is not understood in the "
        + kind.name()
        + " field; write *, */step, N, N-M, N-M/step"
        + (kind.name().equals("month") ? " or month names (jan-mar)" : "")
        + (kind.name().equals("day-of-week") ? " or day names (mon-fri)" : "");
  }

  private static String checkRange(String part, Kind kind, long first, Long last, Long step) {
    if (step != null && step == 0) {
      return "the step in \"" + part + "\" must be above 0";
    }
    if (last != null && first > last) {
      return "the range \"" + part + "\" is reversed; write the smaller value first";
    }
    if (first < kind.min()) {
      return "\"" + part + "\" is below the smallest " + kind.name() + " " + kind.min();
    }
    if (last != null && last > kind.max()) {
      return "\""
          + part
          + "\" is above the largest "
          + kind.name()
          + " "
          + kind.max()
          + (kind.name().equals("day-of-week") ? " (0 is Monday, 6 is Sunday)" : "");
    }
    // The scheduler takes an end of 0 as "the largest value".
    long span = (last == null || last == 0 ? kind.max() : last) - first;
    if (step != null && step > span) {
      return "the step in \"" + part + "\" is larger than the range it steps over (" + span + ")";
    }
    return null;
  }
}
