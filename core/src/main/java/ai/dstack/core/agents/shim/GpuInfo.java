package ai.dstack.core.agents.shim;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * One GPU of the host, as its vendor's tool reports it.
 *
 * @param vendor {@code nvidia}, {@code amd}, ...
 * @param name the name the tool prints, e.g. {@code NVIDIA H100 80GB HBM3} or {@code AMD Instinct
 *     MI300X}; the server shortens it
 * @param memoryMib total memory in MiB
 * @param driverVersion the host driver version, "" when it could not be read
 * @param id NVIDIA: the GPU's UUID; AMD: its PCI bus address; "" when unknown
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record GpuInfo(String vendor, String name, long memoryMib, String driverVersion, String id) {
  public GpuInfo {
    vendor = vendor == null ? "" : vendor;
    name = name == null ? "" : name;
    driverVersion = driverVersion == null ? "" : driverVersion;
    id = id == null ? "" : id;
  }
}
