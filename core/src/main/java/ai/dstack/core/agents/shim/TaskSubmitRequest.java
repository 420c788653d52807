package ai.dstack.core.agents.shim;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * POST /api/tasks: run a job's container (or, without Docker, the runner as a process).
 *
 * <p>Missing fields read as dstack's shim reads them: "" for strings, 0 for numbers, empty lists,
 * {@code container_user} root and {@code network_mode} host.
 *
 * @param id the task id (dstack: the job submission's id); unique on this shim
 * @param name a human-readable name (dstack: the job name); the container is named after it
 * @param registryUsername registry credentials for the pull, "" for none
 * @param imageName the image, e.g. {@code dstackai/base:py3.12-0.9-cuda-12.1}
 * @param containerUser the user the container runs as
 * @param gpu how many GPUs: -1 all the host has (even none), 0 none, n exactly n
 * @param cpu CPUs, 0 for all
 * @param memory bytes, 0 for all
 * @param shmSize bytes of /dev/shm, 0 for Docker's default
 * @param volumes network volumes to attach and mount
 * @param volumeMounts where those volumes go in the container
 * @param instanceMounts host directories to bind-mount
 * @param gpuDevices device nodes to pass through, overriding the GPU runtime
 * @param hostSshUser the host user whose authorized keys get {@code hostSshKeys} for the task
 * @param containerSshKeys public keys that may ssh into the container
 * @param runnerPort ours, not dstack's: the port the runner listens on (host network), 0 for the
 *     shim's default ({@value ShimApi#DEFAULT_RUNNER_PORT} unless started otherwise)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TaskSubmitRequest(
    String id,
    String name,
    String registryUsername,
    String registryPassword,
    String imageName,
    String containerUser,
    boolean privileged,
    int gpu,
    double cpu,
    long memory,
    long shmSize,
    NetworkMode networkMode,
    List<ShimVolumeInfo> volumes,
    List<VolumeMountPoint> volumeMounts,
    List<InstanceMountPoint> instanceMounts,
    List<GpuDevice> gpuDevices,
    String hostSshUser,
    List<String> hostSshKeys,
    List<String> containerSshKeys,
    int runnerPort) {

  /** {@link #gpu()} for "all the host has". */
  public static final int ALL_GPUS = -1;

  public TaskSubmitRequest {
    id = orEmpty(id);
    name = orEmpty(name);
    registryUsername = orEmpty(registryUsername);
    registryPassword = orEmpty(registryPassword);
    imageName = orEmpty(imageName);
    containerUser = containerUser == null || containerUser.isEmpty() ? "root" : containerUser;
    networkMode = networkMode == null ? NetworkMode.HOST : networkMode;
    volumes = copy(volumes);
    volumeMounts = copy(volumeMounts);
    instanceMounts = copy(instanceMounts);
    gpuDevices = copy(gpuDevices);
    hostSshUser = orEmpty(hostSshUser);
    hostSshKeys = copy(hostSshKeys);
    containerSshKeys = copy(containerSshKeys);
  }

  /** A minimal request: this image, no GPUs, all CPUs and memory, host network. */
  public static TaskSubmitRequest of(String id, String name, String imageName, int runnerPort) {
    return new TaskSubmitRequest(
        id,
        name,
        "",
        "",
        imageName,
        "root",
        false,
        0,
        0,
        0,
        0,
        NetworkMode.HOST,
        null,
        null,
        null,
        null,
        "",
        null,
        null,
        runnerPort);
  }

  @Override
  public String toString() {
    // the registry password stays out of logs
    return "TaskSubmitRequest[id=%s, name=%s, image=%s, user=%s, gpu=%d, cpu=%s, memory=%d, runner_port=%d]"
        .formatted(id, name, imageName, containerUser, gpu, cpu, memory, runnerPort);
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }

  private static <T> List<T> copy(List<T> list) {
    return list == null ? List.of() : List.copyOf(list);
  }
}
