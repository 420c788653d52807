package ai.dstack.core.runs.wire;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Where a job submission was placed, dstack's {@code JobProvisioningData}: non-null once the
 * submission has an instance. The CLI reaches the job over SSH through {@code hostname}, {@code
 * ssh_port} and {@code username}, and shows {@code backend (region)}, the instance's resources and
 * the price.
 *
 * @param backend a backend type dstack knows ({@link BackendTypes#toWire})
 * @param baseBackend the backend that provisioned the instance for {@code backend}, or null
 * @param instanceType the instance type and its resources
 * @param instanceId the backend's id of the instance
 * @param hostname the address to reach the instance at, or null until known
 * @param internalIp the instance's address inside its network, for multi-node jobs
 * @param region the region
 * @param price dollars per hour
 * @param username the SSH user of the host
 * @param sshPort the SSH port of the host, or null until known
 * @param dockerized whether the job runs in a container the shim started (the CLI then jumps from
 *     the host to the container's sshd)
 * @param sshProxy a jump host in front of the instance, or null
 * @param backendData the backend's own JSON, or null
 * @param gpuDriver the accelerator driver of the host, when known
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record JobProvisioningData(
    String backend,
    String baseBackend,
    InstanceType instanceType,
    String instanceId,
    String hostname,
    String internalIp,
    boolean publicIpEnabled,
    String instanceNetwork,
    String region,
    String availabilityZone,
    String reservation,
    double price,
    String username,
    Integer sshPort,
    boolean dockerized,
    SshConnectionParams sshProxy,
    String backendData,
    GpuDriverInfo gpuDriver) {

  public JobProvisioningData {
    backend = WireValues.backend(backend, false);
    baseBackend = WireValues.backend(baseBackend, true);
    if (instanceType == null || instanceId == null || region == null || username == null) {
      throw new IllegalArgumentException(
          "job provisioning data needs instance_type, instance_id, region and username");
    }
  }

  /** An SSH endpoint: a proxy jump host. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record SshConnectionParams(String hostname, String username, int port) {}

  /** The accelerator driver of a host; {@code vendor} as GPU vendors, or null. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record GpuDriverInfo(String vendor, String version) {
    public GpuDriverInfo {
      vendor = WireValues.check("gpu driver vendor", vendor, WireValues.GPU_VENDORS, true);
    }
  }
}
