package ai.dstack.activities.offers;

import ai.dstack.core.resources.GpuSpec;
import ai.dstack.core.resources.Range;
import ai.dstack.core.runs.InstanceResources;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Whether a share of an instance meets a job's requirements: gpuhunt's {@code matches} over
 * dstack's {@code requirements_to_query_filter} and {@code offer_to_catalog_item}, check for check
 * and in the same order, but saying which requirement fails and what the share has instead.
 */
final class ShareCheck {
  private ShareCheck() {}

  /**
   * The CPU architecture of every instance: {@link InstanceResources} does not record one, and
   * dstack takes an offer without one for x86.
   */
  static final String INSTANCE_CPU_ARCH = "x86";

  /** The vendor dstack gives a GPU that names none. */
  private static final String DEFAULT_GPU_VENDOR = "nvidia";

  /**
   * A requirement not met.
   *
   * @param asks what the job asks for, e.g. {@code 4.. CPUs}
   * @param has what the share has instead, as a predicate, e.g. {@code has 2 CPUs}
   * @param tooMuch whether the share has more than the requirement allows (a smaller share may fit)
   */
  record Unmet(String asks, String has, boolean tooMuch) {}

  /** The first requirement the share fails, in gpuhunt's order, or null when it meets them all. */
  static Unmet firstUnmet(JobRequirements requirements, InstanceResources share, double price) {
    var spec = requirements.resources();
    if (requirements.maxPrice() != null && price > requirements.maxPrice()) {
      return new Unmet(
          "at most $" + number(requirements.maxPrice()) + "/h",
          "costs $" + number(price) + "/h",
          true);
    }
    if (requirements.spot() != null && share.spot() != requirements.spot()) {
      return new Unmet(
          requirements.spot() ? "a spot instance" : "an on-demand instance",
          share.spot() ? "is a spot instance" : "is on-demand",
          false);
    }
    var cpu = spec.cpu();
    if (cpu != null) {
      if (cpu.arch() != null && !cpu.arch().equalsIgnoreCase(INSTANCE_CPU_ARCH)) {
        return new Unmet(cpu.arch() + " CPUs", "has " + INSTANCE_CPU_ARCH + " CPUs", false);
      }
      if (cpu.count() != null && !between(share.cpus(), cpu.count())) {
        return new Unmet(
            countRange(cpu.count()) + " CPUs",
            "has " + share.cpus() + " CPU" + (share.cpus() == 1 ? "" : "s"),
            above(share.cpus(), cpu.count()));
      }
    }
    var memoryGb = share.memoryMib() / 1024.0;
    if (spec.memory() != null && !between(memoryGb, spec.memory())) {
      return new Unmet(
          sizeRange(spec.memory()) + " memory",
          "has " + size(memoryGb) + " memory",
          above(memoryGb, spec.memory()));
    }
    if (spec.gpu() != null) {
      var unmet = firstUnmetGpu(spec.gpu(), share);
      if (unmet != null) {
        return unmet;
      }
    }
    var diskGb = share.diskMib() / 1024.0;
    // dstack skips the disk check for an instance whose disk size is unknown (0)
    if (spec.disk() != null && spec.disk().size() != null && share.diskMib() != 0) {
      var size = spec.disk().size();
      if (!between(diskGb, size)) {
        return new Unmet(
            sizeRange(size) + " disk", "has " + size(diskGb) + " disk", above(diskGb, size));
      }
    }
    // Not in dstack: a /dev/shm larger than the share's memory cannot be honoured.
    if (spec.shmSize() != null && spec.shmSize() > memoryGb) {
      return new Unmet(
          size(spec.shmSize()) + " of shared memory (shm_size)",
          "has " + size(memoryGb) + " memory",
          false);
    }
    return null;
  }

  private static Unmet firstUnmetGpu(GpuSpec gpu, InstanceResources share) {
    var count = share.gpus().size();
    var minCount = gpu.count() == null ? null : gpu.count().min();
    // gpuhunt: GPU filters do not apply to an offer without GPUs when the job needs none
    if (minCount != null && minCount == 0 && count == 0) {
      return null;
    }
    var first = count == 0 ? null : share.gpus().getFirst();
    var vendor = first == null ? null : vendorOf(first);
    var asks = gpuAsk(gpu);
    if (gpu.vendor() != null && !gpu.vendor().equalsIgnoreCase(vendor)) {
      return new Unmet(asks, gpuHas(share, true), false);
    }
    if (gpu.count() != null && !between(count, gpu.count())) {
      return new Unmet(asks, gpuHas(share, false), above(count, gpu.count()));
    }
    if (gpu.name() != null
        && (first == null
            || gpu.name().stream().noneMatch(n -> n.equalsIgnoreCase(first.name())))) {
      return new Unmet(asks, gpuHas(share, false), false);
    }
    if (gpu.computeCapability() != null) {
      var cc =
          first == null || !DEFAULT_GPU_VENDOR.equals(vendor) || first.name().isEmpty()
              ? null
              : KnownAccelerators.computeCapability(first.name()).orElse(null);
      if (cc == null) {
        var has = gpuHas(share, true);
        return new Unmet(asks, first == null ? has : has + " of unknown compute capability", false);
      }
      if (compare(cc, gpu.computeCapability()) < 0) {
        return new Unmet(
            asks,
            gpuHas(share, false) + " of compute capability " + cc.get(0) + "." + cc.get(1),
            false);
      }
    }
    var memoryGb = first == null ? 0 : first.memoryMib() / 1024.0;
    if (gpu.memory() != null && !between(memoryGb, gpu.memory())) {
      return new Unmet(asks, gpuHas(share, false), above(memoryGb, gpu.memory()));
    }
    var totalGb = first == null ? 0 : count * memoryGb;
    if (gpu.totalMemory() != null && !between(totalGb, gpu.totalMemory())) {
      return new Unmet(asks, gpuHas(share, false), above(totalGb, gpu.totalMemory()));
    }
    return null;
  }

  private static String vendorOf(InstanceResources.Gpu gpu) {
    return gpu.vendor() == null ? DEFAULT_GPU_VENDOR : gpu.vendor().toLowerCase(Locale.ROOT);
  }

  /** e.g. {@code 1..2 GPUs (H100, 80GB)}. */
  static String gpuAsk(GpuSpec gpu) {
    var count = gpu.count() == null ? GpuSpec.DEFAULT_COUNT : gpu.count();
    var one = count.min() != null && count.min() == 1 && count.max() != null && count.max() == 1;
    var text = new StringBuilder(countRange(count)).append(one ? " GPU" : " GPUs");
    List<String> details = new ArrayList<>();
    if (gpu.vendor() != null) {
      details.add(gpu.vendor());
    }
    if (gpu.name() != null) {
      details.add(String.join(" or ", gpu.name()));
    }
    if (gpu.memory() != null) {
      details.add(sizeRange(gpu.memory()) + " each");
    }
    if (gpu.totalMemory() != null) {
      details.add(sizeRange(gpu.totalMemory()) + " in total");
    }
    if (gpu.computeCapability() != null) {
      var cc = gpu.computeCapability();
      details.add("compute capability " + cc.get(0) + "." + cc.get(1) + " or higher");
    }
    if (!details.isEmpty()) {
      text.append(" (").append(String.join(", ", details)).append(')');
    }
    return text.toString();
  }

  /** e.g. {@code has no GPU}, {@code has 2xH100 (80GB)}, {@code has 1xMI300X (amd, 192GB)}. */
  private static String gpuHas(InstanceResources share, boolean withVendor) {
    if (share.gpus().isEmpty()) {
      return "has no GPU";
    }
    var first = share.gpus().getFirst();
    return "has "
        + share.gpus().size()
        + "x"
        + first.name()
        + " ("
        + (withVendor ? vendorOf(first) + ", " : "")
        + size(first.memoryMib() / 1024.0)
        + ")";
  }

  // ---- Ranges as gpuhunt compares them, and as dstack writes them. ----

  static boolean between(long value, Range<Long> range) {
    return (range.min() == null || value >= range.min())
        && (range.max() == null || value <= range.max());
  }

  static boolean between(double value, Range<Double> range) {
    return (range.min() == null || value >= range.min())
        && (range.max() == null || value <= range.max());
  }

  private static boolean above(long value, Range<Long> range) {
    return range.max() != null && value > range.max();
  }

  private static boolean above(double value, Range<Double> range) {
    return range.max() != null && value > range.max();
  }

  private static int compare(List<Integer> a, List<Integer> b) {
    for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
      var c = Integer.compare(a.get(i), b.get(i));
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(a.size(), b.size());
  }

  /** dstack's {@code Range.__str__}: {@code 2}, {@code 2..8}, {@code 2..}, {@code ..8}. */
  static String countRange(Range<Long> range) {
    return range(
        range.min() == null ? "" : range.min().toString(),
        range.max() == null ? "" : range.max().toString());
  }

  /** dstack's {@code Range[Memory].__str__}: {@code 8GB}, {@code 8GB..}, {@code 16GB..80GB}. */
  static String sizeRange(Range<Double> range) {
    return range(
        range.min() == null ? "" : size(range.min()), range.max() == null ? "" : size(range.max()));
  }

  private static String range(String min, String max) {
    return min.equals(max) ? min : min + ".." + max;
  }

  /**
   * dstack's {@code Memory.__repr__}: the size in GB as Python's {@code %g}, e.g. {@code 7.5GB}.
   */
  static String size(double gb) {
    return number(gb) + "GB";
  }

  /** A number as Python's {@code %g} writes it: six significant digits, no trailing zeros. */
  static String number(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e6) {
      return Long.toString((long) value);
    }
    return new BigDecimal(value).round(new MathContext(6)).stripTrailingZeros().toPlainString();
  }
}
