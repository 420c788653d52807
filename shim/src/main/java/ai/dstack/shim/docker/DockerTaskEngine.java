package ai.dstack.shim.docker;

import ai.dstack.core.agents.shim.InstanceMountPoint;
import ai.dstack.core.agents.shim.NetworkMode;
import ai.dstack.core.agents.shim.PortMapping;
import ai.dstack.core.agents.shim.TaskSubmitRequest;
import ai.dstack.core.agents.shim.TerminationReasons;
import ai.dstack.shim.host.AmdSmi;
import ai.dstack.shim.host.NvidiaSmi;
import ai.dstack.shim.tasks.RunnerLaunch;
import ai.dstack.shim.tasks.Task;
import ai.dstack.shim.tasks.TaskEngine;
import ai.dstack.shim.tasks.TaskFailure;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.PullImageCmd;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Device;
import com.github.dockerjava.api.model.DeviceRequest;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.PullResponseItem;
import com.github.dockerjava.api.model.Volume;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Tasks as containers. A container runs the runner ({@code java -jar /dstack/runner.jar --port N})
 * with the runner jar and the Java runtime bind-mounted read-only, on the host network unless asked
 * otherwise, and carries labels naming its task and this shim's home, by which a later shim with
 * the same home finds and removes it.
 */
public final class DockerTaskEngine implements TaskEngine {
  private static final System.Logger LOG = System.getLogger(DockerTaskEngine.class.getName());

  /** "true" on every task container (dstack's label). */
  public static final String LABEL_IS_TASK = "ai.dstack.shim.is-task";

  /** The task id (dstack's label). */
  public static final String LABEL_TASK_ID = "ai.dstack.shim.task-id";

  /** The owning shim's home directory, so shims with other homes leave it alone. */
  public static final String LABEL_HOME = "ai.dstack.shim.home";

  private static final Duration PULL_TIMEOUT = Duration.ofMinutes(20);
  private static final Duration LOGS_TIMEOUT = Duration.ofSeconds(10);

  private final DockerClient docker;
  private final RunnerLaunch launch;
  private final String home;
  private final String gpuVendor;

  /** The containers taken over from an earlier shim, which its clean-up leaves running. */
  private final Set<String> adopted = ConcurrentHashMap.newKeySet();

  /**
   * @param home this shim's home directory (labels its containers)
   * @param gpuVendor the host's GPU vendor, which decides how GPUs are passed to containers
   */
  public DockerTaskEngine(DockerClient docker, RunnerLaunch launch, Path home, String gpuVendor) {
    this.docker = docker;
    this.launch = launch;
    this.home = home.toAbsolutePath().normalize().toString();
    this.gpuVendor = gpuVendor;
  }

  @Override
  public String mode() {
    return "docker";
  }

  /** Takes over the task's container an earlier shim with this home left running, if any. */
  @Override
  public boolean adopt(Task task) {
    List<Container> running =
        docker
            .listContainersCmd()
            .withLabelFilter(
                Map.of(LABEL_IS_TASK, "true", LABEL_HOME, home, LABEL_TASK_ID, task.id()))
            .exec();
    if (running.isEmpty()) {
      return false;
    }
    String id = running.getFirst().getId();
    try {
      task.containerId(id);
      if (task.config().networkMode() == NetworkMode.BRIDGE) {
        task.ports(ports(docker.inspectContainerCmd(id).exec()));
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "task {0}: cannot take over container {1}: {2}", task.id(), id, e);
      return false;
    }
    adopted.add(id);
    LOG.log(Level.INFO, "task {0}: container {1} taken over", task.id(), task.containerName());
    return true;
  }

  /** Removes the containers of this home that were not taken over. */
  @Override
  public void cleanUpLeftovers() {
    List<Container> leftovers =
        docker
            .listContainersCmd()
            .withShowAll(true)
            .withLabelFilter(Map.of(LABEL_IS_TASK, "true", LABEL_HOME, home))
            .exec();
    for (Container container : leftovers) {
      if (adopted.contains(container.getId())) {
        continue;
      }
      LOG.log(
          Level.INFO,
          "removing container {0} of task {1}, left from an earlier run",
          Arrays.toString(container.getNames()),
          container.getLabels().get(LABEL_TASK_ID));
      removeContainer(container.getId());
    }
  }

  @Override
  public void pull(Task task) throws TaskFailure, InterruptedException {
    String image = task.config().imageName();
    if (imageExists(image)) {
      return;
    }
    ImageReference reference = ImageReference.parse(image);
    PullProgress progress = new PullProgress();
    task.imagePullProgress(progress.snapshot());
    AtomicReference<Throwable> failure = new AtomicReference<>();
    ResultCallback.Adapter<PullResponseItem> callback =
        new ResultCallback.Adapter<>() {
          @Override
          public void onNext(PullResponseItem item) {
            progress.add(item);
            task.imagePullProgress(progress.snapshot());
          }

          @Override
          public void onError(Throwable error) {
            // reported in the task's termination message, not as a logged stack trace
            failure.compareAndSet(null, error);
            onComplete();
          }
        };
    PullImageCmd pull = docker.pullImageCmd(reference.repository()).withTag(reference.tag());
    TaskSubmitRequest config = task.config();
    if (!config.registryUsername().isEmpty() || !config.registryPassword().isEmpty()) {
      pull.withAuthConfig(
          new AuthConfig()
              .withUsername(config.registryUsername())
              .withPassword(config.registryPassword())
              .withRegistryAddress(reference.registry()));
    }
    task.onCancelPull(() -> close(callback));
    LOG.log(Level.INFO, "task {0}: pulling {1}", task.id(), image);
    boolean finished;
    try {
      finished =
          pull.exec(callback).awaitCompletion(PULL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      throw new TaskFailure(
          TerminationReasons.CREATING_CONTAINER_ERROR, pullFailure(image, message(e), progress), e);
    } finally {
      task.onCancelPull(null);
    }
    if (failure.get() != null) {
      throw new TaskFailure(
          TerminationReasons.CREATING_CONTAINER_ERROR,
          pullFailure(image, message(failure.get()), progress),
          failure.get());
    }
    if (!finished) {
      close(callback);
      throw new TaskFailure(
          TerminationReasons.CREATING_CONTAINER_ERROR,
          pullFailure(image, "timed out after " + PULL_TIMEOUT.toMinutes() + " minutes", progress));
    }
    if (!imageExists(image)) {
      String why =
          progress.errors().isEmpty()
              ? "the pull ended without the image (cancelled?)"
              : String.join("; ", progress.errors());
      throw new TaskFailure(
          TerminationReasons.CREATING_CONTAINER_ERROR, pullFailure(image, why, progress));
    }
  }

  private static String pullFailure(String image, String why, PullProgress progress) {
    var snapshot = progress.snapshot();
    return "cannot pull image %s: %s (downloaded %d of %d bytes). Is its registry reachable from this host, and are the registry credentials right? Images present locally are used without pulling."
        .formatted(image, why, snapshot.downloadedBytes(), snapshot.totalBytes());
  }

  @Override
  public void create(Task task) throws TaskFailure {
    TaskSubmitRequest config = task.config();
    List<String> command =
        RunnerLaunch.command(
            RunnerLaunch.javaBinary(RunnerLaunch.JAVA_IN_CONTAINER),
            RunnerLaunch.JAR_IN_CONTAINER,
            task.runnerPort(),
            sharesCache(config)
                ? RunnerLaunch.CACHE_IN_CONTAINER + "/" + RunnerLaunch.ARCHIVE
                : null);
    try {
      HostConfig host = hostConfig(task);
      CreateContainerResponse created =
          docker
              .createContainerCmd(config.imageName())
              .withName(task.containerName())
              .withLabels(Map.of(LABEL_IS_TASK, "true", LABEL_TASK_ID, task.id(), LABEL_HOME, home))
              .withEntrypoint(command.get(0))
              .withCmd(command.subList(1, command.size()))
              .withUser(config.containerUser())
              .withHostConfig(host)
              .exec();
      task.containerId(created.getId());
      LOG.log(
          Level.INFO,
          "task {0}: created container {1} ({2})",
          task.id(),
          task.containerName(),
          created.getId());
    } catch (RuntimeException | IOException e) {
      throw new TaskFailure(
          TerminationReasons.CREATING_CONTAINER_ERROR,
          "cannot create container " + task.containerName() + ": " + message(e),
          e);
    }
  }

  HostConfig hostConfig(Task task) throws IOException {
    TaskSubmitRequest config = task.config();
    List<Bind> binds = new ArrayList<>();
    binds.add(
        new Bind(
            launch.javaHome().toRealPath().toString(),
            new Volume(RunnerLaunch.JAVA_IN_CONTAINER),
            AccessMode.ro));
    binds.add(
        new Bind(
            launch.runnerJar().toRealPath().toString(),
            new Volume(RunnerLaunch.JAR_IN_CONTAINER),
            AccessMode.ro));
    if (sharesCache(config)) {
      binds.add(
          new Bind(
              launch.cacheDir().toAbsolutePath().toString(),
              new Volume(RunnerLaunch.CACHE_IN_CONTAINER),
              AccessMode.rw));
    }
    for (InstanceMountPoint mount : config.instanceMounts()) {
      binds.add(new Bind(mount.instancePath(), new Volume(mount.path()), AccessMode.rw));
    }
    HostConfig host =
        HostConfig.newHostConfig()
            .withNetworkMode(config.networkMode() == NetworkMode.BRIDGE ? "bridge" : "host")
            .withPrivileged(config.privileged())
            .withBinds(binds);
    if (config.cpu() > 0) {
      host.withNanoCPUs(nanoCpus(config.cpu(), Runtime.getRuntime().availableProcessors()));
    }
    if (config.memory() > 0) {
      host.withMemory(config.memory());
    }
    if (config.shmSize() > 0) {
      // a tmpfs with exec, unlike Docker's default /dev/shm (some workloads run code from it)
      host.withShmSize(config.shmSize())
          .withTmpFs(Map.of("/dev/shm", "exec,size=" + config.shmSize()));
    }
    List<String> gpus = task.gpuIds();
    if (!config.gpuDevices().isEmpty()) {
      host.withDevices(
          config.gpuDevices().stream()
              .map(d -> new Device("rwm", d.pathInContainer(), d.pathOnHost()))
              .toList());
    } else if (!gpus.isEmpty()) {
      switch (gpuVendor) {
        case NvidiaSmi.VENDOR ->
            host.withDeviceRequests(
                List.of(
                    new DeviceRequest()
                        .withDriver("nvidia")
                        .withDeviceIds(gpus)
                        .withCapabilities(List.of(List.of("gpu")))));
        case AmdSmi.VENDOR -> host.withDevices(amdDevices(gpus));
        default -> {}
      }
    }
    return host;
  }

  /**
   * Whether the runner shares the class-data archive with the other tasks: only as root, who can
   * write the shim's cache directory (another user's runner would warn that it cannot).
   */
  private static boolean sharesCache(TaskSubmitRequest config) {
    return config.containerUser().equals("root") || config.containerUser().equals("0");
  }

  /** /dev/kfd and the render node of each GPU, found by its PCI address. */
  private static List<Device> amdDevices(List<String> busAddresses) throws IOException {
    List<Device> devices = new ArrayList<>();
    devices.add(new Device("rwm", "/dev/kfd", "/dev/kfd"));
    for (String bdf : busAddresses) {
      String node = Path.of("/dev/dri/by-path/pci-" + bdf + "-render").toRealPath().toString();
      devices.add(new Device("rwm", node, node));
    }
    return devices;
  }

  @Override
  public void start(Task task) throws TaskFailure {
    try {
      docker.startContainerCmd(task.containerId()).exec();
      if (task.config().networkMode() == NetworkMode.BRIDGE) {
        task.ports(ports(docker.inspectContainerCmd(task.containerId()).exec()));
      }
    } catch (RuntimeException e) {
      throw new TaskFailure(
          TerminationReasons.CONTAINER_EXITED_WITH_ERROR,
          "cannot start container " + task.containerName() + ": " + message(e),
          e);
    }
  }

  private static List<PortMapping> ports(InspectContainerResponse container) {
    List<PortMapping> result = new ArrayList<>();
    Ports ports = container.getNetworkSettings().getPorts();
    if (ports == null) {
      return result;
    }
    for (Map.Entry<ExposedPort, Ports.Binding[]> entry : ports.getBindings().entrySet()) {
      if (entry.getValue() == null) {
        continue;
      }
      for (Ports.Binding binding : entry.getValue()) {
        try {
          result.add(
              new PortMapping(
                  Integer.parseInt(binding.getHostPortSpec()), entry.getKey().getPort()));
        } catch (NumberFormatException e) {
          // a range; not used by tasks
        }
      }
    }
    return result;
  }

  @Override
  public int await(Task task) throws TaskFailure {
    try {
      return docker
          .waitContainerCmd(task.containerId())
          .exec(new WaitContainerResultCallback())
          .awaitStatusCode();
    } catch (RuntimeException e) {
      throw new TaskFailure(
          TerminationReasons.EXECUTOR_ERROR,
          "lost track of container " + task.containerName() + ": " + message(e),
          e);
    }
  }

  @Override
  public void stop(Task task, Duration timeout) {
    String id = task.containerId();
    if (id.isEmpty()) {
      return;
    }
    try {
      docker.stopContainerCmd(id).withTimeout((int) timeout.toSeconds()).exec();
    } catch (NotModifiedException | NotFoundException e) {
      // already stopped, or gone
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "task " + task.id() + ": cannot stop container " + id, e);
    }
  }

  @Override
  public void remove(Task task) {
    // by name as well: a container may exist whose creation answer never came back
    String id = task.containerId().isEmpty() ? task.containerName() : task.containerId();
    removeContainer(id);
  }

  private void removeContainer(String id) {
    try {
      docker.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
    } catch (NotFoundException e) {
      // already gone
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "cannot remove container " + id, e);
    }
  }

  @Override
  public List<String> lastLogLines(Task task, int lines) {
    if (task.containerId().isEmpty()) {
      return List.of();
    }
    StringBuilder output = new StringBuilder();
    try {
      docker
          .logContainerCmd(task.containerId())
          .withStdOut(true)
          .withStdErr(true)
          .withTail(lines)
          .exec(
              new ResultCallback.Adapter<Frame>() {
                @Override
                public void onNext(Frame frame) {
                  synchronized (output) {
                    output.append(new String(frame.getPayload(), StandardCharsets.UTF_8));
                  }
                }
              })
          .awaitCompletion(LOGS_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "task {0}: cannot read container logs: {1}", task.id(), message(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    synchronized (output) {
      return output.toString().lines().toList();
    }
  }

  private boolean imageExists(String image) throws TaskFailure {
    try {
      docker.inspectImageCmd(image).exec();
      return true;
    } catch (NotFoundException e) {
      return false;
    } catch (RuntimeException e) {
      throw new TaskFailure(
          TerminationReasons.CREATING_CONTAINER_ERROR,
          "cannot inspect image " + image + ": " + message(e),
          e);
    }
  }

  private static void close(ResultCallback.Adapter<?> callback) {
    try {
      callback.close();
    } catch (IOException e) {
      // closing a cancelled stream; nothing to do
    }
  }

  /** Docker's own message without docker-java's "Status 500: {"message":...}" wrapping. */
  static String message(Throwable e) {
    String text = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (e instanceof DockerException) {
      int start = text.indexOf("{\"message\":\"");
      if (start >= 0) {
        String inner = text.substring(start + 12);
        int end = inner.lastIndexOf("\"}");
        if (end >= 0) {
          return inner.substring(0, end).replace("\\\"", "\"").replace("\\n", " ").strip();
        }
      }
    }
    return text.strip();
  }

  /**
   * Docker's CPU limit of a container given {@code cpus}: at most the host's, since an
   * oversubscribed host ({@code DSTACK_LOCAL_FLEET_CPUS}) may hand out more than it has, which
   * Docker refuses.
   */
  static long nanoCpus(double cpus, int hostCpus) {
    return (long) (Math.min(cpus, hostCpus) * 1_000_000_000L);
  }
}
