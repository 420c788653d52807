package ai.dstack.core.agents.shim;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * The host's resources: the fields of dstack's {@code host_info.json} (which dstack's SSH fleet
 * provisioning reads), plus every GPU in detail. Served at {@link ShimApi#HOST_INFO}.
 *
 * @param gpuVendor vendor of the GPUs, {@code none} without GPUs
 * @param gpuName name of the first GPU, "" without GPUs
 * @param gpuMemory memory of the first GPU in MiB
 * @param gpuCount number of GPUs
 * @param addresses the host's IP addresses with prefix length, e.g. {@code 10.0.0.5/24}
 * @param diskSize size of the file system that holds the shim's home, in bytes
 * @param cpus number of logical CPUs
 * @param memory total memory in bytes
 * @param gpus every GPU
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record HostInfo(
    String gpuVendor,
    String gpuName,
    long gpuMemory,
    int gpuCount,
    List<String> addresses,
    long diskSize,
    int cpus,
    long memory,
    List<GpuInfo> gpus) {

  /** dstack's vendor value for a host without GPUs. */
  public static final String NO_GPU_VENDOR = "none";

  public HostInfo {
    gpuVendor = gpuVendor == null ? NO_GPU_VENDOR : gpuVendor;
    gpuName = gpuName == null ? "" : gpuName;
    addresses = addresses == null ? List.of() : List.copyOf(addresses);
    gpus = gpus == null ? List.of() : List.copyOf(gpus);
  }

  /** The summary fields dstack reads, derived from the GPU list (all GPUs of a host alike). */
  public static HostInfo of(
      List<GpuInfo> gpus, List<String> addresses, long diskSize, int cpus, long memory) {
    GpuInfo first = gpus.isEmpty() ? null : gpus.get(0);
    return new HostInfo(
        first == null ? NO_GPU_VENDOR : first.vendor(),
        first == null ? "" : first.name(),
        first == null ? 0 : first.memoryMib(),
        gpus.size(),
        addresses,
        diskSize,
        cpus,
        memory,
        gpus);
  }
}
