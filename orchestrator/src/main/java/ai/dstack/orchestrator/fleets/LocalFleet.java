package ai.dstack.orchestrator.fleets;

import ai.dstack.activities.local.LocalShim;
import ai.dstack.activities.local.LocalShimSettings;
import ai.dstack.core.configurations.Blocks;
import ai.dstack.orchestrator.temporal.TemporalWorkers;
import ai.dstack.workflows.DstackWorkflows;
import ai.dstack.workflows.WorkflowIds;
import ai.dstack.workflows.fleets.FleetInput;
import ai.dstack.workflows.fleets.FleetInstance;
import ai.dstack.workflows.fleets.FleetView;
import ai.dstack.workflows.fleets.FleetWorkflow;
import ai.dstack.workflows.fleets.InstancesUpdate;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;

/**
 * The server's {@code local} fleet: this host, reached through a shim the server starts (or adopts
 * from an earlier server) and supervises, as the fleet's single instance {@code local-0}, with the
 * resources the shim reports (its CPUs replaced by {@link LocalFleetSettings#cpus()} when set),
 * split into blocks as dstack's {@code blocks} says ({@link LocalFleetSettings#blocks()}).
 *
 * <p><b>One fleet for every project.</b> The host is one, so is its queue: a single {@link
 * FleetWorkflow} ({@value #WORKFLOW_ID}, project {@value #WORKFLOW_PROJECT}) grants its blocks to
 * the jobs of all projects, by priority and submission time. Each project's {@code fleets/list}
 * shows it as its own fleet {@code local} (the client prints fleets of another project as {@code
 * project/name}); the ids it shows there are derived from the stored ones and the project's id
 * ({@link #fleetIdIn}), so a fleet id is never shown in two projects.
 *
 * <p><b>Start.</b> A {@link SmartLifecycle} that depends on the Temporal workers, so it starts
 * after them and stops before them, in their phase, before the web server serves: it starts the
 * shim, describes the host as the instance, and makes sure the fleet's workflow runs with that
 * instance. A workflow that already runs (from an earlier server) is kept with its queue and its
 * slots, and signalled the instance when it differs (the shim got another port, the host changed);
 * a workflow that is gone is started anew. When supervision restarts a dead shim, the workflow is
 * signalled the instance again.
 *
 * <p><b>Stop.</b> A clean shutdown stops the shim as {@link LocalFleetSettings#onShutdown()} says
 * (by default only when no job runs; a shim running jobs is adopted by the next server). The
 * workflow keeps running in Temporal.
 */
public class LocalFleet implements SmartLifecycle, DisposableBean {

  /** The fleet's name in every project. */
  public static final String NAME = "local";

  /** Its instance's name. */
  public static final String INSTANCE_NAME = "local-0";

  /**
   * The project of its workflow and its records: none in particular, as it serves them all (not a
   * valid project name, so no project's fleet can be mistaken for it).
   */
  public static final String WORKFLOW_PROJECT = "*";

  /** Its workflow, the one that queues every project's jobs on this host. */
  public static final String WORKFLOW_ID = WorkflowIds.fleet(WORKFLOW_PROJECT, NAME);

  private static final Logger log = LoggerFactory.getLogger(LocalFleet.class);

  /** How many times start-up asks the fleet's workflow for its instances. */
  private static final int QUERY_ATTEMPTS = 3;

  /** Why the fleet is off, or null when it is on. */
  private final String off;

  private final LocalFleetSettings settings;
  private final Path stateDir;
  private final WorkflowClient client;
  private final FleetRepository fleets;
  private final FleetRecords records;
  private final Clock clock;

  private volatile boolean running;
  private volatile Started started;
  private LocalShim shim;

  /**
   * What start-up set up.
   *
   * @param fleetId the stored fleet id
   * @param instanceId the stored instance id, by which the workflow knows the instance
   * @param createdAt when the fleet was first made
   * @param instanceCreatedAt when its instance was first made
   * @param instance the instance as the workflow has it
   * @param shim the shim in use
   * @param workflow what happened to the workflow, for the start-up report
   */
  record Started(
      UUID fleetId,
      UUID instanceId,
      Instant createdAt,
      Instant instanceCreatedAt,
      FleetInstance instance,
      LocalShim.Running shim,
      String workflow) {

    Started withInstance(FleetInstance next, LocalShim.Running nextShim) {
      return new Started(
          fleetId, instanceId, createdAt, instanceCreatedAt, next, nextShim, workflow);
    }
  }

  LocalFleet(
      String off,
      LocalFleetSettings settings,
      Path stateDir,
      WorkflowClient client,
      FleetRepository fleets,
      FleetRecords records,
      Clock clock) {
    this.off = off;
    this.settings = settings;
    this.stateDir = stateDir;
    this.client = client;
    this.fleets = fleets;
    this.records = records;
    this.clock = clock;
  }

  /** Whether the server has a local fleet. */
  public boolean enabled() {
    return off == null;
  }

  /** The instance, as offers and the workflow see it; empty when off or not started yet. */
  public Optional<FleetInstance> instance() {
    var current = started;
    return current == null ? Optional.empty() : Optional.of(current.instance());
  }

  /** The fleet's id as project {@code projectId} sees it; empty when off or not started yet. */
  public Optional<UUID> fleetIdIn(UUID projectId) {
    var current = started;
    return current == null ? Optional.empty() : Optional.of(scoped(current.fleetId(), projectId));
  }

  /** The instance's id as project {@code projectId} sees it; empty when off or not started yet. */
  public Optional<UUID> instanceIdIn(UUID projectId) {
    var current = started;
    return current == null
        ? Optional.empty()
        : Optional.of(scoped(current.instanceId(), projectId));
  }

  /** What start-up set up; empty when off or not started yet. */
  Optional<Started> started() {
    return Optional.ofNullable(started);
  }

  /** Whether the shim answers its healthcheck now. */
  boolean reachable() {
    var agent = shim;
    return agent != null && agent.healthy();
  }

  /** The blocks setting, as the fleet's configuration shows it: {@code auto} or a number. */
  Blocks blocks() {
    return settings.parsedBlocks();
  }

  /** dstack's CPU architecture of this host: {@code x86}, {@code arm}, or null when unknown. */
  static String cpuArch() {
    return switch (System.getProperty("os.arch", "").toLowerCase(Locale.ROOT)) {
      case "amd64", "x86_64", "x86", "i386", "i686" -> "x86";
      case "aarch64", "arm64", "arm" -> "arm";
      default -> null;
    };
  }

  /** The start-up report's lines about the local fleet. */
  public List<String> describe() {
    if (off != null) {
      return List.of("  Local fleet: off (" + off + ")");
    }
    var current = started;
    if (current == null) {
      return List.of("  Local fleet: not started");
    }
    var shimNow = current.shim();
    var instance = current.instance();
    List<String> lines = new ArrayList<>();
    lines.add(
        "  Local fleet: shim pid %d on %s:%d (%s, %s mode), state in %s"
            .formatted(
                shimNow.pid(),
                shimNow.host(),
                shimNow.port(),
                shimNow.adopted() ? "adopted" : "started",
                shimNow.engine(),
                stateDir));
    lines.add(
        "               this host: %s in %d block%s (blocks: %s%s); workflow %s (%s)"
            .formatted(
                instance.resources().describe(),
                instance.totalBlocks(),
                instance.totalBlocks() == 1 ? "" : "s",
                settings.blocks(),
                settings.cpus() == null ? "" : ", cpus: " + settings.cpus(),
                WORKFLOW_ID,
                current.workflow()));
    return lines;
  }

  // ---- Lifecycle. ----

  @Override
  public synchronized void start() {
    if (running) {
      return;
    }
    running = true;
    if (off != null) {
      log.debug("The local fleet is off: {}", off);
      return;
    }
    if (started != null) {
      return; // a context stopped and started again: the shim was left as it was
    }
    try {
      Blocks blocks = settings.parsedBlocks();
      OptionalInt cpus = settings.parsedCpus();
      var identity = identity();
      var instanceEntity = identity.instances().getFirst();
      shim = new LocalShim(shimSettings(), this::onShimRestart);
      var runningShim = shim.start();
      FleetInstance instance;
      try {
        instance =
            shim.instance(instanceEntity.instanceId().toString(), INSTANCE_NAME, blocks, cpus);
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException(
            "DSTACK_LOCAL_FLEET_BLOCKS="
                + settings.blocks()
                + (cpus.isPresent() ? " with DSTACK_LOCAL_FLEET_CPUS=" + cpus.getAsInt() : "")
                + ": "
                + e.getMessage());
      }
      var workflow = ensureWorkflow(instance);
      started =
          new Started(
              identity.id(),
              instanceEntity.instanceId(),
              identity.createdAt(),
              instanceEntity.createdAt(),
              instance,
              runningShim,
              workflow);
    } catch (IOException | RuntimeException e) {
      if (shim != null) {
        shim.stop();
        shim = null;
      }
      running = false;
      // Start-up prints the deepest cause only: keep what to do about it in one message.
      throw new IllegalStateException(
          "the local fleet did not start: "
              + e.getMessage()
              + " (DSTACK_LOCAL_FLEET=false runs the server without it)");
    }
  }

  @Override
  public synchronized void stop() {
    running = false;
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return TemporalWorkers.PHASE;
  }

  /** Closing the context stops (or leaves) the shim, as {@code on_shutdown} says. */
  @Override
  public synchronized void destroy() {
    running = false;
    if (shim != null) {
      shim.stop();
    }
  }

  // ---- Identity: the same ids and creation times across restarts. ----

  private FleetEntity identity() {
    return fleets
        .findFirstByProjectIdIsNullAndNameAndDeletedFalse(NAME)
        .orElseGet(
            () -> {
              var now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
              return fleets.save(
                  new FleetEntity(
                      UUID.randomUUID(),
                      null,
                      null,
                      NAME,
                      now,
                      false,
                      List.of(new FleetInstanceEntity(UUID.randomUUID(), INSTANCE_NAME, now))));
            });
  }

  // ---- The workflow. ----

  /**
   * Starts the fleet's workflow with the instance, or, when one runs, tells it the instance if it
   * has another; returns what it did.
   */
  private String ensureWorkflow(FleetInstance instance) {
    if (workflowRuns()) {
      var fleet = client.newWorkflowStub(FleetWorkflow.class, WORKFLOW_ID);
      if (hasOnly(fleet, instance)) {
        return "running, kept";
      }
      fleet.updateInstances(
          new InstancesUpdate(List.of(instance), "the server started with this instance"));
      return "running, instance updated";
    }
    // A workflow that starts over counts its records from 1 again.
    records.forget(WORKFLOW_PROJECT, NAME);
    var stub =
        client.newWorkflowStub(
            FleetWorkflow.class,
            WorkflowOptions.newBuilder()
                .setTaskQueue(DstackWorkflows.TASK_QUEUE)
                .setWorkflowId(WORKFLOW_ID)
                .build());
    try {
      WorkflowClient.start(
          stub::run, new FleetInput(WORKFLOW_PROJECT, NAME, List.of(instance), null, 0));
      return "started";
    } catch (WorkflowExecutionAlreadyStarted e) {
      // another server started it meanwhile
      client
          .newWorkflowStub(FleetWorkflow.class, WORKFLOW_ID)
          .updateInstances(new InstancesUpdate(List.of(instance), "another server started it"));
      return "running, instance updated";
    }
  }

  private boolean workflowRuns() {
    try {
      return client.newUntypedWorkflowStub(WORKFLOW_ID).describe().getStatus()
          == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
    } catch (WorkflowNotFoundException e) {
      return false;
    }
  }

  private static boolean hasOnly(FleetWorkflow fleet, FleetInstance instance) {
    // A query can time out while the workflow's last worker (a killed server's) is still its
    // sticky one, or this server's workers are not polling yet: ask again before giving up.
    for (int attempt = 1; ; attempt++) {
      try {
        var instances = fleet.view().instances();
        return instances.size() == 1 && instances.getFirst().instance().equals(instance);
      } catch (RuntimeException e) {
        if (attempt == QUERY_ATTEMPTS) {
          log.debug(
              "Cannot query the local fleet's workflow ({}); sending it the instance",
              e.toString());
          return false;
        }
      }
    }
  }

  /** The shim restarted (it died, or stopped answering): the workflow learns its address. */
  private void onShimRestart(LocalShim.Running next) {
    var current = started;
    var agent = shim;
    if (current == null || agent == null) {
      return;
    }
    try {
      var instance =
          agent.instance(
              current.instanceId().toString(),
              INSTANCE_NAME,
              settings.parsedBlocks(),
              settings.parsedCpus());
      started = current.withInstance(instance, next);
      if (!instance.equals(current.instance())) {
        client
            .newWorkflowStub(FleetWorkflow.class, WORKFLOW_ID)
            .updateInstances(
                new InstancesUpdate(
                    List.of(instance),
                    "the local shim restarted: pid " + next.pid() + ", port " + next.port()));
      }
    } catch (IOException | RuntimeException e) {
      log.error("Cannot tell the local fleet's workflow about the restarted shim", e);
    }
  }

  /** The live view of the fleet's workflow (its queue and slots), for operators and tests. */
  FleetView view() {
    return client.newWorkflowStub(FleetWorkflow.class, WORKFLOW_ID).view();
  }

  private LocalShimSettings shimSettings() {
    var shimSettings =
        new LocalShimSettings(
            stateDir,
            AgentJars.shim(settings.shimJar()),
            AgentJars.runner(settings.runnerJar()),
            settings.javaHome(),
            settings.mode(),
            settings.onShutdown(),
            settings.shimPort(),
            settings.checkInterval(),
            settings.startTimeout(),
            null);
    log.debug(
        "The local shim: {} with runner {}", shimSettings.shimJar(), shimSettings.runnerJar());
    return shimSettings;
  }

  /**
   * A version 4 UUID of its own for {@code base} in a project: the same for both every time, and
   * never another project's (the client insists on version 4 for a run's fleet id).
   */
  static UUID scoped(UUID base, UUID projectId) {
    try {
      var digest = MessageDigest.getInstance("SHA-256");
      digest.update(
          ByteBuffer.allocate(16)
              .putLong(base.getMostSignificantBits())
              .putLong(base.getLeastSignificantBits())
              .array());
      digest.update(
          ByteBuffer.allocate(16)
              .putLong(projectId.getMostSignificantBits())
              .putLong(projectId.getLeastSignificantBits())
              .array());
      var bytes = digest.digest();
      bytes[6] = (byte) ((bytes[6] & 0x0f) | 0x40);
      bytes[8] = (byte) ((bytes[8] & 0x3f) | 0x80);
      var buffer = ByteBuffer.wrap(bytes);
      return new UUID(buffer.getLong(), buffer.getLong());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
