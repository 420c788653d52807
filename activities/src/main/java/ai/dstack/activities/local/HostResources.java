package ai.dstack.activities.local;

import ai.dstack.activities.offers.KnownAccelerators;
import ai.dstack.core.agents.shim.GpuInfo;
import ai.dstack.core.agents.shim.HostInfo;
import ai.dstack.core.runs.InstanceResources;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A host's resources as an instance offers them: dstack's {@code host_info_to_instance_type}, which
 * turns what a shim reports into the instance's {@code Resources}, with GPU names shortened as
 * dstack's {@code convert_*_gpu_name} do ({@code NVIDIA H100 80GB HBM3} → {@code H100}) and GPU
 * memory rounded to the size the model is sold with.
 */
public final class HostResources {
  private HostResources() {}

  private static final long MIB = 1024 * 1024;

  /** The host's CPUs, memory, disk and GPUs; never a spot instance. */
  public static InstanceResources of(HostInfo host) {
    List<InstanceResources.Gpu> gpus =
        host.gpus().stream()
            .map(g -> gpu(g.vendor().isEmpty() ? host.gpuVendor() : g.vendor(), g))
            .toList();
    if (gpus.isEmpty() && host.gpuCount() > 0) {
      // a shim that reports the summary only: dstack's fields, all GPUs alike
      var one =
          gpu(
              host.gpuVendor(),
              new GpuInfo(host.gpuVendor(), host.gpuName(), host.gpuMemory(), "", ""));
      gpus = java.util.Collections.nCopies(host.gpuCount(), one);
    }
    return new InstanceResources(
        host.cpus(), host.memory() / MIB, gpus, host.diskSize() / MIB, false);
  }

  private static InstanceResources.Gpu gpu(String reportedVendor, GpuInfo gpu) {
    var vendor = vendor(reportedVendor);
    var name = gpuName(vendor, gpu.name());
    return new InstanceResources.Gpu(
        vendor, name, correctedMemoryGib(name, gpu.memoryMib()) * 1024);
  }

  /** dstack's vendor for a reported one: lower case, {@code nvidia} when unknown. */
  static String vendor(String reported) {
    if (reported == null || reported.isBlank() || reported.equals(HostInfo.NO_GPU_VENDOR)) {
      return "nvidia";
    }
    return reported.toLowerCase(Locale.ROOT);
  }

  /** The short name dstack gives a GPU its vendor's tool names. */
  public static String gpuName(String vendor, String reported) {
    return switch (vendor(vendor)) {
      case "nvidia" -> nvidiaName(reported);
      case "amd" -> amdName(reported);
      case "intel" -> intelName(reported);
      default -> reported;
    };
  }

  private static final Pattern RTX_A = Pattern.compile("(A\\d+)");
  private static final Pattern SUPER = Pattern.compile("(?i) ?SUPER");
  private static final Pattern NVIDIA_MODEL = Pattern.compile("([AHLPTV]\\d+\\w*)");

  /**
   * dstack's {@code convert_nvidia_gpu_name}: {@code NVIDIA GeForce RTX 4090} → {@code RTX4090}.
   */
  static String nvidiaName(String name) {
    name =
        name.replace("NVIDIA ", "")
            .replace("Tesla ", "")
            .replace("Quadro ", "")
            .replace("GeForce ", "");
    if (name.contains("GH200")) {
      return "GH200";
    }
    if (name.contains("RTX A")) {
      name = name.replace("RTX A", "A");
      var m = RTX_A.matcher(name);
      return m.find() ? m.group(1) : name.replace(" ", "");
    }
    name = name.replace(" Ti", "Ti");
    name = SUPER.matcher(name).replaceAll("SUPER");
    name = name.replace(" NVL", "NVL").replace(" Ada Generation", "Ada").replace("RTX ", "RTX");
    var m = NVIDIA_MODEL.matcher(name);
    return m.find() ? m.group(1) : name.replace(" ", "");
  }

  private static final Pattern AMD_INSTINCT =
      Pattern.compile(
          "^(?:AMD )?(?:Instinct )?(?<name>MI\\d{1,3}[A-Z]?(?:-\\w+)?)(?:\\s|$)",
          Pattern.CASE_INSENSITIVE);

  /** dstack's {@code convert_amd_gpu_name}: {@code AMD Instinct MI300X} → {@code MI300X}. */
  static String amdName(String name) {
    var m = AMD_INSTINCT.matcher(name);
    if (m.find()) {
      name = m.group("name");
    }
    return name.equals("MI300X-O") ? "MI300X" : name;
  }

  private static final Map<String, String> GAUDI_MODELS =
      Map.of("HL-205", "Gaudi", "HL-225", "Gaudi2", "HL-325", "Gaudi3", "HL-338", "Gaudi3");

  /** dstack's {@code convert_intel_accelerator_name}: {@code HL-225...} → {@code Gaudi2}. */
  static String intelName(String name) {
    return GAUDI_MODELS.entrySet().stream()
        .filter(e -> name.startsWith(e.getKey()))
        .map(Map.Entry::getValue)
        .findFirst()
        .orElse(name);
  }

  /**
   * gpuhunt's {@code correct_gpu_memory_gib}: the size a known model is sold with when the reported
   * one is within 7% of it (tools report a little less), else the reported size rounded.
   */
  static long correctedMemoryGib(String name, long memoryMib) {
    var gib = memoryMib / 1024.0;
    var closest =
        KnownAccelerators.find(name, null).stream()
            .mapToInt(KnownAccelerators.Accelerator::memoryGib)
            .boxed()
            .min((a, b) -> Double.compare(Math.abs(a - gib), Math.abs(b - gib)));
    if (closest.isPresent()
        && closest.get() != 0
        && Math.abs(closest.get() - gib) / closest.get() < 0.07) {
      return closest.get();
    }
    return (long) Math.rint(gib); // Python's round(): half to even
  }
}
