package ai.dstack.core.runs.wire;

import ai.dstack.core.runs.InstanceResources;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * An instance type and what it has, dstack's {@code InstanceType}: in offers, job provisioning data
 * and instances.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record InstanceType(String name, InstanceType.Resources resources) {

  /** The type named {@code name} with these resources and CPU architecture (or null). */
  public static InstanceType of(String name, InstanceResources resources, String cpuArch) {
    return new InstanceType(name, Resources.of(resources, cpuArch));
  }

  /**
   * What an instance (or a share of it) has, dstack's {@code Resources}.
   *
   * @param disk the disk; dstack reads {@code size_mib: 0} as unknown
   * @param cpuArch {@code x86}, {@code arm}, or null when unknown
   * @param description never set by servers since dstack 0.21; kept for old clients, ""
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Resources(
      int cpus,
      long memoryMib,
      List<Gpu> gpus,
      boolean spot,
      Disk disk,
      String cpuArch,
      String description) {
    public Resources {
      gpus = gpus == null ? List.of() : List.copyOf(gpus);
      disk = disk == null ? new Disk(102400) : disk;
      cpuArch = WireValues.check("cpu_arch", cpuArch, WireValues.CPU_ARCHITECTURES, true);
      description = description == null ? "" : description;
    }

    static Resources of(InstanceResources resources, String cpuArch) {
      return new Resources(
          resources.cpus(),
          resources.memoryMib(),
          resources.gpus().stream().map(g -> new Gpu(g.name(), g.memoryMib(), g.vendor())).toList(),
          resources.spot(),
          new Disk(resources.diskMib()),
          cpuArch,
          "");
    }
  }

  /** One GPU; {@code vendor} is nvidia, amd, google, intel, tenstorrent, or null. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Gpu(String name, long memoryMib, String vendor) {
    public Gpu {
      vendor =
          WireValues.check(
              "gpu vendor",
              vendor == null ? null : vendor.toLowerCase(java.util.Locale.ROOT),
              WireValues.GPU_VENDORS,
              true);
    }
  }

  /** A disk. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Disk(long sizeMib) {}
}
