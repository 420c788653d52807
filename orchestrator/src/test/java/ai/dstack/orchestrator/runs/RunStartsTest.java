package ai.dstack.orchestrator.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.orchestrator.persistence.SqlValues;
import ai.dstack.orchestrator.testing.Api;
import ai.dstack.orchestrator.testing.OnLocalFleet;
import ai.dstack.orchestrator.testing.RunRequests;
import ai.dstack.orchestrator.testing.ServerTest;
import ai.dstack.workflows.runs.RunInput;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcOperations;

/**
 * {@code runs/apply} answers before Temporal takes the run's workflow: the run's row keeps the
 * workflow's input until then, so a server that stops in between (here: its {@link RunStarts}
 * stopped, as a crash leaves it) loses nothing, and a stop that comes first still reaches the run.
 */
@OnLocalFleet
class RunStartsTest extends ServerTest {
  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  @Autowired RunStarts starts;
  @Autowired RunStore store;
  @Autowired WorkflowClient temporal;
  @Autowired NamedParameterJdbcOperations jdbc;
  @Autowired SqlValues values;

  @AfterEach
  void startsRunAgain() {
    starts.start();
  }

  @Test
  void aRunAppliedWhileNothingStartsWorkflowsRunsOnceTheSweepFindsIt() {
    var project = project("sweep");
    var runs = new RunRequests(api(), ADMIN);
    starts.stop(); // as a server that died right after its answer

    var applied = runs.apply(project, "left", List.of("echo from a left run"));
    assertEquals("submitted", applied.path("status").asText(), applied.toString());
    var run = row(project, "left");
    assertTrue(store.workflowInput(run.id()).isPresent(), "the row keeps the workflow's input");
    assertThrows(
        WorkflowNotFoundException.class,
        () -> temporal.newUntypedWorkflowStub(run.workflowId()).describe());

    starts.start(); // the next server: its sweep runs at once

    var done = runs.awaitFinished(project, "left", TIMEOUT);
    assertEquals("done", done.path("status").asText(), done.toString());
    assertTrue(runs.logs(project, done).contains("from a left run"), done.toString());
    assertTrue(store.workflowInput(run.id()).isEmpty(), "the input goes once the run started");
    assertEquals(1, executions(run.workflowId()), "one workflow for the run");
  }

  @Test
  void aStopThatComesBeforeTheWorkflowIsRefusedClearlyThenStopsTheRunOnceItCanStart() {
    var project = project("stop-first");
    var runs = new RunRequests(api(), ADMIN);
    starts.stop();
    runs.apply(project, "early", List.of("echo started", "sleep 600"));
    var run = row(project, "early");

    // Nothing can start it now: a clear error, and the run is kept.
    var refused = stop(project, "early", false);
    assertEquals(400, refused.status(), refused.toString());
    var message = refused.json().path("detail").path(0).path("msg").asText();
    assertTrue(message.contains("has not started yet"), message);
    assertTrue(store.workflowInput(run.id()).isPresent());

    // Once workflows start again, the stop waits for the run's (started by the sweep, or by the
    // stop itself when it comes first) and then stops it.
    starts.start();
    // An abort: a graceful stop landing while the job's `bash -i` starts would be ignored until
    // stop_duration (an interactive shell ignores SIGTERM), as in dstack.
    var stopped = stop(project, "early", true);
    assertEquals(200, stopped.status(), stopped.toString());
    var ended = runs.awaitFinished(project, "early", TIMEOUT);
    assertEquals("terminated", ended.path("status").asText(), ended.toString());
    assertEquals("aborted_by_user", ended.path("termination_reason").asText(), ended.toString());
    assertTrue(store.workflowInput(run.id()).isEmpty());
    assertEquals(1, executions(run.workflowId()));
  }

  @Test
  void aSecondStartOfTheSameRunStartsNothingMore() {
    var project = project("twice");
    var runs = new RunRequests(api(), ADMIN);
    runs.apply(project, "once", List.of("echo started", "sleep 600"));
    var run = row(project, "once");
    runs.await(project, "once", r -> r.path("status").asText().equals("running"), TIMEOUT);

    // As when a server died after Temporal took the workflow but before its row said so.
    var input = RunStarts.stored(inputOf(run));
    keepInput(run.id(), input);
    starts.sweep();
    awaitTrue(() -> store.workflowInput(run.id()).isEmpty(), "the sweep clears the input");
    assertEquals(1, executions(run.workflowId()), "the running workflow is the only one");
    var stillRunning = runs.await(project, "once", r -> true, TIMEOUT);
    assertEquals("running", stillRunning.path("status").asText(), stillRunning.toString());

    assertEquals(
        200,
        api()
            .post(
                "/api/project/" + project + "/runs/stop",
                ADMIN,
                Map.of("runs_names", List.of("once"), "abort", true))
            .status());
    runs.awaitFinished(project, "once", TIMEOUT);
    // A finished run's leftover input is dropped, and nothing is started again.
    keepInput(run.id(), input);
    starts.sweep();
    assertTrue(store.workflowInput(run.id()).isEmpty());
    assertEquals(1, executions(run.workflowId()));
  }

  private String project(String prefix) {
    var name = unique(prefix);
    assertEquals(200, createProject(ADMIN, name).status());
    return name;
  }

  private RunRow row(String project, String name) {
    var projectId =
        UUID.fromString(
            api()
                .post("/api/projects/" + project + "/get", ADMIN, Map.of())
                .json()
                .path("project_id")
                .asString());
    return store.byName(projectId, name).orElseThrow();
  }

  private RunInput inputOf(RunRow run) {
    var history = temporal.fetchHistory(run.workflowId()).getEvents().getFirst();
    var payload = history.getWorkflowExecutionStartedEventAttributes().getInput().getPayloads(0);
    return temporal
        .getOptions()
        .getDataConverter()
        .fromPayload(payload, RunInput.class, RunInput.class);
  }

  private void keepInput(UUID runId, String input) {
    jdbc.update(
        "UPDATE runs SET workflow_input = :input WHERE id = :id",
        new MapSqlParameterSource().addValue("input", input).addValue("id", values.of(runId)));
    assertTrue(store.workflowInput(runId).isPresent());
  }

  private Api.Response stop(String project, String name, boolean abort) {
    return api()
        .post(
            "/api/project/" + project + "/runs/stop",
            ADMIN,
            Map.of("runs_names", List.of(name), "abort", abort));
  }

  /** How many executions Temporal has for the workflow id (open and closed). */
  private int executions(String workflowId) {
    var response =
        temporal
            .getWorkflowServiceStubs()
            .blockingStub()
            .listWorkflowExecutions(
                ListWorkflowExecutionsRequest.newBuilder()
                    .setNamespace(temporal.getOptions().getNamespace())
                    .setQuery("WorkflowId = '" + workflowId + "'")
                    .build());
    return response.getExecutionsCount();
  }

  private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(what + ": not in " + TIMEOUT);
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }
}
