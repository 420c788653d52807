package ai.dstack.workflows;

import static org.junit.jupiter.api.Assertions.fail;

import ai.dstack.core.runs.InstanceResources;
import ai.dstack.core.runs.JobSpecSummary;
import ai.dstack.core.runs.RetryPolicy;
import ai.dstack.workflows.fleets.FleetClientActivities;
import ai.dstack.workflows.fleets.FleetInput;
import ai.dstack.workflows.fleets.FleetInstance;
import ai.dstack.workflows.fleets.FleetWorkflow;
import ai.dstack.workflows.runs.RunDetail;
import ai.dstack.workflows.runs.RunInput;
import ai.dstack.workflows.runs.RunResult;
import ai.dstack.workflows.runs.RunWorkflow;
import ai.dstack.workflows.runs.StopRun;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowServiceException;
import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * A Temporal test server (time skipping: timers fire as soon as everything waits) with a worker
 * running the real workflows against activity doubles, and the helpers the tests share: start a
 * fleet, start a run, wait for a condition, keep a workflow's history.
 *
 * <p>{@link #keepHistory} replays every history it is given right away; with {@code
 * -Ddstack.recordHistories=true} it also writes it under {@code src/test/resources/histories/},
 * where {@link HistoryReplayTest} replays the committed ones against today's code.
 */
final class WorkflowBench implements AutoCloseable {
  static final String PROJECT = "main";
  static final String USER = "admin";
  static final Path HISTORIES = Path.of("src/test/resources/histories");
  static final ObjectMapper JSON = new ObjectMapper();

  final TestWorkflowEnvironment env;
  final WorkflowClient client;
  final FakeAgents agents = new FakeAgents();
  final FakeOffers offers = new FakeOffers(agents);
  final RecordingProjections projections = new RecordingProjections();
  final Instant epoch;
  private final List<String> fleetIds = new ArrayList<>();

  WorkflowBench() {
    env = TestWorkflowEnvironment.newInstance();
    for (var key : DstackSearchAttributes.ALL) {
      env.registerSearchAttribute(key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    }
    var worker = env.newWorker(DstackWorkflows.TASK_QUEUE);
    worker.registerWorkflowImplementationTypes(
        DstackWorkflows.IMPLEMENTATIONS.toArray(Class<?>[]::new));
    // Activities get a client of their own: the test client locks time skipping around its calls.
    var activityClient =
        WorkflowClient.newInstance(
            env.getWorkflowServiceStubs(),
            WorkflowClientOptions.newBuilder().setNamespace(env.getNamespace()).build());
    worker.registerActivitiesImplementations(
        agents, offers, projections, new FleetClientActivities(activityClient));
    env.start();
    client = env.getWorkflowClient();
    epoch = Instant.ofEpochMilli(env.currentTimeMillis());
  }

  @Override
  public void close() {
    env.close();
  }

  // ---- Fleets. ----

  static FleetInstance instance(String id, double price, int blocks) {
    return new FleetInstance(
        id,
        id,
        "local",
        "local",
        "local",
        "127.0.0.1",
        10998,
        price,
        new InstanceResources(8, 32 * 1024, List.of(), 100 * 1024, false),
        blocks);
  }

  /** Starts fleet {@code name} with these instances; returns its workflow's first execution. */
  WorkflowExecution startFleet(String name, int historyLimit, FleetInstance... instances) {
    offers.fleets.put(name, List.of(instances));
    var id = WorkflowIds.fleet(PROJECT, name);
    fleetIds.add(id);
    var stub =
        client.newWorkflowStub(
            FleetWorkflow.class,
            WorkflowOptions.newBuilder()
                .setTaskQueue(DstackWorkflows.TASK_QUEUE)
                .setWorkflowId(id)
                .build());
    var started =
        WorkflowClient.start(
            stub::run, new FleetInput(PROJECT, name, List.of(instances), null, historyLimit));
    // An update sent before the fleet's first workflow task can be lost by the in-memory test
    // server; a query answers only once that task has run.
    await("fleet " + name + " running", () -> fleet(name).view() != null);
    return started;
  }

  /** The local fleet: one instance of {@code blocks} blocks. */
  WorkflowExecution startLocalFleet(int blocks) {
    return startFleet("local", 0, instance("local-0", 0.0, blocks));
  }

  FleetWorkflow fleet(String name) {
    return client.newWorkflowStub(FleetWorkflow.class, WorkflowIds.fleet(PROJECT, name));
  }

  // ---- Runs. ----

  /** What a test run asks for. */
  static final class RunSpec {
    final String name;
    String fleet = "local";
    int nodes = 1;
    int replicas = 1;
    int priority;
    long submittedSecond;
    RetryPolicy retry;
    Long maxDuration;
    Long stopDuration = JobSpecSummary.DEFAULT_STOP_DURATION_SECONDS;

    RunSpec(String name) {
      this.name = name;
    }

    RunSpec nodes(int n) {
      nodes = n;
      return this;
    }

    RunSpec replicas(int n) {
      replicas = n;
      return this;
    }

    RunSpec priority(int p) {
      priority = p;
      return this;
    }

    RunSpec submittedAtSecond(long s) {
      submittedSecond = s;
      return this;
    }

    RunSpec retry(RetryPolicy policy) {
      retry = policy;
      return this;
    }

    RunSpec maxDuration(Long seconds) {
      maxDuration = seconds;
      return this;
    }

    RunSpec stopDuration(Long seconds) {
      stopDuration = seconds;
      return this;
    }

    RunSpec fleet(String name) {
      fleet = name;
      return this;
    }
  }

  /** A started run. */
  final class Run {
    final String name;
    final String workflowId;

    Run(String name, String workflowId) {
      this.name = name;
      this.workflowId = workflowId;
    }

    RunWorkflow stub() {
      return client.newWorkflowStub(RunWorkflow.class, workflowId);
    }

    /** Waits for the run's end; time skips while it waits. */
    RunResult result() {
      return WorkflowStub.fromTyped(stub()).getResult(RunResult.class);
    }

    RunDetail detail() {
      return stub().detail();
    }

    void stop(boolean abort) {
      stub().stop(new StopRun(abort));
    }

    String jobWorkflowId(int replica, int job, int submission) {
      return WorkflowIds.job(workflowId, replica, job, submission);
    }
  }

  Run startRun(RunSpec spec) {
    var runId = UUID.nameUUIDFromBytes(spec.name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    var jobs = new ArrayList<JobSpecSummary>();
    for (int replica = 0; replica < spec.replicas; replica++) {
      for (int node = 0; node < spec.nodes; node++) {
        jobs.add(
            new JobSpecSummary(
                spec.name + "-" + replica + "-" + node,
                replica,
                node,
                spec.nodes,
                "dstack-base:local",
                spec.maxDuration,
                spec.stopDuration,
                spec.retry,
                "2..xCPU, 8GB.."));
      }
    }
    var input =
        new RunInput(
            runId,
            spec.name,
            PROJECT,
            USER,
            spec.fleet,
            WorkflowIds.fleet(PROJECT, spec.fleet),
            spec.priority,
            epoch.plusSeconds(spec.submittedSecond),
            jobs);
    var workflowId = WorkflowIds.run(PROJECT, spec.name, runId);
    var stub =
        client.newWorkflowStub(
            RunWorkflow.class,
            WorkflowOptions.newBuilder()
                .setTaskQueue(DstackWorkflows.TASK_QUEUE)
                .setWorkflowId(workflowId)
                .build());
    WorkflowClient.start(stub::run, input);
    return new Run(spec.name, workflowId);
  }

  Run startRun(String name) {
    return startRun(new RunSpec(name));
  }

  // ---- Waiting and histories. ----

  /**
   * Polls {@code condition} in real time (time does not skip meanwhile) for up to 60 s. A query
   * that fails counts as "not yet": the in-memory test server can miss a query's deadline while the
   * workflow continues as new under load (its continue-as-new is not atomic).
   */
  static void await(String what, Supplier<Boolean> condition) {
    long deadline = System.nanoTime() + 60_000_000_000L;
    WorkflowServiceException lastFailure = null;
    while (true) {
      try {
        if (condition.get()) {
          return;
        }
      } catch (WorkflowServiceException e) {
        lastFailure = e;
      }
      if (System.nanoTime() > deadline) {
        fail(
            "timed out waiting for "
                + what
                + (lastFailure == null ? "" : "; last query failure: " + lastFailure.getMessage()));
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted waiting for " + what);
      }
    }
  }

  WorkflowExecutionHistory history(String workflowId) {
    return client.fetchHistory(workflowId);
  }

  /**
   * Replays the workflow's history against the workflow implementations now, and keeps it as {@code
   * histories/<name>.json} when recording.
   */
  WorkflowExecutionHistory keepHistory(String name, String workflowId) {
    var history = history(workflowId);
    try {
      WorkflowReplayer.replayWorkflowExecution(
          history, DstackWorkflows.IMPLEMENTATIONS.getFirst(), implementationsButFirst());
      if (Boolean.getBoolean("dstack.recordHistories")) {
        Files.createDirectories(HISTORIES);
        // The workflow id goes with the history: child workflow ids are derived from it.
        var kept = JSON.createObjectNode().put("workflowId", workflowId);
        kept.set("history", JSON.readTree(history.toJson(false)));
        Files.writeString(HISTORIES.resolve(name + ".json"), JSON.writeValueAsString(kept) + "\n");
      }
    } catch (IOException e) {
      throw new IllegalStateException("could not keep history " + name, e);
    } catch (Exception e) {
      throw new AssertionError("history of " + workflowId + " does not replay", e);
    }
    return history;
  }

  /** A history kept by {@link #keepHistory}, with its workflow id. */
  static WorkflowExecutionHistory readKept(Path file) throws IOException {
    var kept = JSON.readTree(Files.readString(file));
    return WorkflowExecutionHistory.fromJson(
        kept.get("history").toString(), kept.get("workflowId").asText());
  }

  static Class<?>[] implementationsButFirst() {
    var all = DstackWorkflows.IMPLEMENTATIONS;
    return all.subList(1, all.size()).toArray(Class<?>[]::new);
  }
}
