package ai.dstack.cli;

import ai.dstack.core.runs.wire.InstanceType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Locale;

/**
 * Values as dstack's tables print them, the same in every table: times ({@code 3 mins ago}),
 * backends ({@code aws (us-east-1)}), instance resources ({@code cpu=x86:8 mem=32GB}), sizes
 * ({@code 0.5GB}) and dollars ({@code $1.25}).
 */
final class Pretty {
  private Pretty() {}

  /** A clock a few seconds ahead of ours still reads as {@code now}, not as a blank. */
  private static final Duration SKEW = Duration.ofSeconds(10);

  /** How long ago {@code time} was, from now; empty for null. */
  static String ago(Instant time) {
    return ago(time, Instant.now());
  }

  /**
   * How long before {@code now} {@code time} was: {@code now}, {@code 12 sec ago}, {@code 3 mins
   * ago}, ..., {@code yesterday}, ...; empty for null or a time after now.
   */
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

  /**
   * dstack's {@code format_backend}: {@code remote} (SSH and local hosts) reads {@code ssh}, the
   * region in brackets; {@code -} for none.
   */
  static String backend(String backend, String region) {
    if (backend == null) {
      return "-";
    }
    String name = "remote".equals(backend) ? "ssh" : backend;
    return region == null || region.isEmpty() ? name : name + " (" + region + ")";
  }

  /**
   * An instance's resources as dstack prints them: {@code cpu=x86:8 mem=32GB disk=100GB
   * gpu=A100:40GB:2}.
   */
  static String resources(InstanceType.Resources resources) {
    var parts = new ArrayList<String>();
    if (resources.cpus() > 0) {
      String arch =
          resources.cpuArch() == null ? "" : resources.cpuArch().toLowerCase(Locale.ROOT) + ":";
      parts.add("cpu=" + arch + resources.cpus());
    }
    if (resources.memoryMib() > 0) {
      parts.add("mem=" + gigabytes(resources.memoryMib()));
    }
    if (resources.disk() != null && resources.disk().sizeMib() > 0) {
      parts.add("disk=" + gigabytes(resources.disk().sizeMib()));
    }
    if (!resources.gpus().isEmpty()) {
      parts.add(gpus(resources));
    }
    return String.join(" ", parts);
  }

  /** An instance's GPUs alone, {@code gpu=H100:80GB:1}, or {@code -} for none. */
  static String gpus(InstanceType.Resources resources) {
    if (resources.gpus().isEmpty()) {
      return "-";
    }
    var gpu = resources.gpus().getFirst();
    var text = new StringBuilder("gpu=").append(gpu.name());
    if (gpu.memoryMib() > 0) {
      text.append(':').append(gigabytes(gpu.memoryMib()));
    }
    return text.append(':').append(resources.gpus().size()).toString();
  }

  /** MiB as dstack's GB: one decimal at most, {@code 0.5GB}, {@code 8GB}. */
  static String gigabytes(long mib) {
    return decimal(mib / 1024.0) + "GB";
  }

  /** A number to one decimal, without a trailing {@code .0}: {@code 0.5}, {@code 80}. */
  static String decimal(double value) {
    var rounded = new BigDecimal(value).setScale(1, RoundingMode.HALF_EVEN).stripTrailingZeros();
    return rounded.scale() < 0 ? rounded.setScale(0).toPlainString() : rounded.toPlainString();
  }

  /** Dollars without trailing zeros, at most four decimals: {@code 0.5}, {@code 1.2345}. */
  static String amount(double dollars) {
    return stripZeros(String.format(Locale.ROOT, "%.4f", dollars));
  }

  /** A range as dstack writes one: {@code 2..4}, or the one value when both ends show alike. */
  static String range(String low, String high) {
    return low.equals(high) ? low : low + ".." + high;
  }

  /** A price in dollars (per hour), to four decimals without trailing zeros: {@code $0.5}. */
  static String price(double dollars) {
    return "$" + amount(dollars);
  }

  /** A price limit as dstack shows it ({@code $1.25}), six decimals at most. */
  static String maxPrice(double dollars) {
    return "$" + stripZeros(String.format(Locale.ROOT, "%f", dollars));
  }

  private static String stripZeros(String number) {
    if (!number.contains(".")) {
      return number;
    }
    var stripped = number.replaceAll("0+$", "");
    return stripped.endsWith(".") ? stripped.substring(0, stripped.length() - 1) : stripped;
  }
}
