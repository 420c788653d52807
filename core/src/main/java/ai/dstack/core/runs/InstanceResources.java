package ai.dstack.core.runs;

import java.util.List;

/**
 * What an instance, or a share of it, offers: dstack's {@code Resources}.
 *
 * @param cpus CPU cores
 * @param memoryMib memory in MiB
 * @param gpus the GPUs, empty for none
 * @param diskMib disk size in MiB
 * @param spot whether the instance can be interrupted (a spot instance)
 */
public record InstanceResources(
    int cpus, long memoryMib, List<InstanceResources.Gpu> gpus, long diskMib, boolean spot) {

  /**
   * One GPU.
   *
   * @param vendor e.g. {@code nvidia}
   * @param name e.g. {@code H100}
   * @param memoryMib its memory in MiB
   */
  public record Gpu(String vendor, String name, long memoryMib) {}

  public InstanceResources {
    gpus = gpus == null ? List.of() : List.copyOf(gpus);
  }

  /** dstack's short description, e.g. {@code 2xCPU, 8GB, 1xH100 (80GB), 100.0GB (disk)}. */
  public String describe() {
    var text =
        new StringBuilder().append(cpus).append("xCPU, ").append(gib(memoryMib)).append("GB");
    if (!gpus.isEmpty()) {
      var gpu = gpus.getFirst();
      text.append(", ")
          .append(gpus.size())
          .append('x')
          .append(gpu.name())
          .append(" (")
          .append(gib(gpu.memoryMib()))
          .append("GB)");
    }
    text.append(", ").append(String.format(java.util.Locale.ROOT, "%.1f", diskMib / 1024.0));
    return text.append("GB (disk)").toString();
  }

  private static String gib(long mib) {
    return mib % 1024 == 0
        ? Long.toString(mib / 1024)
        : String.format(java.util.Locale.ROOT, "%.1f", mib / 1024.0);
  }
}
