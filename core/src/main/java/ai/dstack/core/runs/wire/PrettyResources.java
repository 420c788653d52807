package ai.dstack.core.runs.wire;

import ai.dstack.core.resources.Range;
import ai.dstack.core.resources.ResourcesSpec;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Requirements as dstack prints them ({@code Requirements.pretty_format}), e.g. {@code cpu=x86:2..
 * mem=8GB.. disk=100GB.. gpu=A100:40GB:2, spot under $1.5 per hour}.
 */
final class PrettyResources {
  private PrettyResources() {}

  static String requirements(JobSpec.Requirements requirements) {
    var text = new StringBuilder(resources(requirements.resources()));
    if (requirements.spot() != null) {
      text.append(", ").append(requirements.spot() ? "spot" : "on-demand");
    }
    if (requirements.maxPrice() != null) {
      var price = String.format(Locale.ROOT, "%f", requirements.maxPrice());
      text.append(" under $").append(stripZeros(price)).append(" per hour");
    }
    return text.toString();
  }

  // f"{x:3f}".rstrip("0").rstrip(".")
  private static String stripZeros(String number) {
    var stripped = number;
    while (stripped.endsWith("0")) {
      stripped = stripped.substring(0, stripped.length() - 1);
    }
    return stripped.endsWith(".") ? stripped.substring(0, stripped.length() - 1) : stripped;
  }

  static String resources(ResourcesSpec resources) {
    var parts = new ArrayList<String>();
    var cpu = resources.cpu();
    var arch = cpu == null || cpu.arch() == null ? "" : cpu.arch().toLowerCase(Locale.ROOT) + ":";
    parts.add("cpu=" + arch + (cpu == null ? "None" : range(cpu.count(), false)));
    parts.add("mem=" + range(resources.memory(), true));
    if (resources.disk() != null && resources.disk().size() != null) {
      parts.add("disk=" + range(resources.disk().size(), true));
    }
    var gpu = resources.gpu();
    if (gpu != null && gpu.count() != null) {
      var gpuParts = new ArrayList<String>();
      if (gpu.memory() != null) {
        gpuParts.add(range(gpu.memory(), true));
      }
      gpuParts.add(range(gpu.count(), false));
      if (gpu.totalMemory() != null) {
        gpuParts.add(range(gpu.totalMemory(), true));
      }
      if (gpu.computeCapability() != null) {
        var cc = gpu.computeCapability();
        gpuParts.add("(" + cc.get(0) + ", " + cc.get(1) + ")");
      }
      List<String> all = new ArrayList<>();
      if (gpu.name() != null && !gpu.name().isEmpty()) {
        all.add(String.join(",", gpu.name()));
      } else if (gpu.vendor() != null) {
        all.add(gpu.vendor());
      }
      all.addAll(gpuParts);
      parts.add("gpu=" + String.join(":", all));
    }
    return String.join(" ", parts);
  }

  /** A range as dstack prints it: {@code 2..}, {@code ..8}, {@code 2..8}, or {@code 8}. */
  private static <T extends Comparable<T>> String range(Range<T> range, boolean memory) {
    if (range == null) {
      return "None";
    }
    var min = range.min() == null ? "" : bound(range.min(), memory);
    var max = range.max() == null ? "" : bound(range.max(), memory);
    return min.equals(max) ? min : min + ".." + max;
  }

  private static String bound(Object value, boolean memory) {
    if (memory) {
      return general(((Number) value).doubleValue()) + "GB";
    }
    return String.valueOf(value);
  }

  /** Python's {@code format(x, "g")}: six significant digits, no trailing zeros. */
  static String general(double value) {
    if (value == 0) {
      return "0";
    }
    var rounded = new BigDecimal(value).round(new MathContext(6));
    int exponent = rounded.precision() - rounded.scale() - 1;
    if (exponent < -4 || exponent >= 6) {
      var digits = rounded.unscaledValue().abs().toString().replaceAll("0+$", "");
      var mantissa = digits.length() > 1 ? digits.charAt(0) + "." + digits.substring(1) : digits;
      var sign = value < 0 ? "-" : "";
      return sign
          + mantissa
          + "e"
          + (exponent < 0 ? "-" : "+")
          + String.format(Locale.ROOT, "%02d", Math.abs(exponent));
    }
    return rounded.stripTrailingZeros().toPlainString();
  }
}
