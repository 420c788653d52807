package ai.dstack.shim.tasks;

import ai.dstack.core.agents.shim.ImagePullProgress;
import ai.dstack.core.agents.shim.PortMapping;
import ai.dstack.core.agents.shim.TaskInfoResponse;
import ai.dstack.core.agents.shim.TaskStatus;
import ai.dstack.core.agents.shim.TaskSubmitRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One submitted task: its configuration and its state. State changes follow dstack's order
 * (pending, preparing, pulling, creating, running) and may jump to terminated from anywhere; the
 * first termination reason sticks.
 */
public final class Task {
  private final TaskSubmitRequest config;
  private final String containerName;
  private final Path dir;
  private final int runnerPort;

  /** Held while the workload is started or stopped, so a stop never overtakes a start. */
  final ReentrantLock lifecycle = new ReentrantLock();

  private final CountDownLatch finished = new CountDownLatch(1);

  private TaskStatus status = TaskStatus.PENDING;
  private String terminationReason = "";
  private String terminationMessage = "";
  private ImagePullProgress imagePullProgress;
  private String containerId = "";
  private List<String> gpuIds = List.of();
  private List<PortMapping> ports = List.of();
  private Runnable cancelPull;

  Task(TaskSubmitRequest config, Path runnersDir, int runnerPort) {
    this.config = config;
    this.containerName = containerName(config.name(), config.id());
    this.dir = runnersDir.resolve(containerName);
    this.runnerPort = runnerPort;
  }

  public String id() {
    return config.id();
  }

  public TaskSubmitRequest config() {
    return config;
  }

  /** The container's name: the task's name and a short hash of name and id, as dstack names it. */
  public String containerName() {
    return containerName;
  }

  /** The task's directory on the host (logs, pid file; the working directory in process mode). */
  public Path dir() {
    return dir;
  }

  public int runnerPort() {
    return runnerPort;
  }

  public synchronized TaskStatus status() {
    return status;
  }

  public synchronized String containerId() {
    return containerId;
  }

  public synchronized void containerId(String id) {
    containerId = id;
  }

  public synchronized List<String> gpuIds() {
    return gpuIds;
  }

  synchronized void gpuIds(List<String> ids) {
    gpuIds = List.copyOf(ids);
  }

  public synchronized void ports(List<PortMapping> mappings) {
    ports = List.copyOf(mappings);
  }

  public synchronized void imagePullProgress(ImagePullProgress progress) {
    imagePullProgress = progress;
  }

  /** Registers how to cancel the pull under way; terminating the task calls it. */
  public synchronized void onCancelPull(Runnable cancel) {
    cancelPull = cancel;
  }

  /** Moves on to {@code next}; false when the task has terminated meanwhile. */
  synchronized boolean advance(TaskStatus next) {
    if (status == TaskStatus.TERMINATED) {
      return false;
    }
    status = next;
    if (next != TaskStatus.PULLING) {
      cancelPull = null;
    }
    return true;
  }

  /**
   * Terminates with this reason, unless already terminated with one; returns the pull's cancel
   * action if a pull was under way.
   */
  synchronized Runnable terminate(String reason, String message) {
    if (status != TaskStatus.TERMINATED || terminationReason.isEmpty()) {
      terminationReason = reason == null ? "" : reason;
      terminationMessage = message == null ? "" : message;
    }
    status = TaskStatus.TERMINATED;
    Runnable cancel = cancelPull;
    cancelPull = null;
    return cancel;
  }

  /** The task's worker has finished (successfully or not) and released what it held. */
  void finished() {
    finished.countDown();
  }

  /** Waits for the worker to finish; false on timeout. */
  boolean awaitFinished(long millis) throws InterruptedException {
    return finished.await(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  public synchronized TaskInfoResponse info() {
    return new TaskInfoResponse(
        config.id(),
        status,
        terminationReason,
        terminationMessage,
        ports,
        imagePullProgress,
        containerName,
        containerId,
        gpuIds);
  }

  /** {@code <name>-<first 8 hex digits of sha256("<name>/<id>")>}, unsafe characters as '-'. */
  static String containerName(String name, String id) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256")
              .digest((name + "/" + id).getBytes(StandardCharsets.UTF_8));
      String safe = name.replaceAll("[^a-zA-Z0-9_.-]", "-");
      if (safe.isEmpty() || !Character.isLetterOrDigit(safe.charAt(0))) {
        safe = "task" + safe;
      }
      return safe + "-" + HexFormat.of().formatHex(hash).substring(0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
