package ai.dstack.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.core.api.events.Event;
import ai.dstack.core.api.events.ListEventsRequest;
import ai.dstack.core.api.gpus.ListGpusRequest;
import ai.dstack.core.api.metrics.GetJobMetricsRequest;
import ai.dstack.core.runs.RunStatus;
import ai.dstack.sdk.api.DstackException;
import ai.dstack.sdk.testing.LocalServer;
import ai.dstack.sdk.testing.LocalServerExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The low-level API's events, metrics and GPUs calls against a real server: their answers read into
 * core's records, their errors as the SDK's exceptions.
 */
@ExtendWith(LocalServerExtension.class)
class EventsMetricsGpusTest {
  private Dstack dstack;

  @BeforeEach
  void connect(LocalServer server) {
    dstack = Dstack.of(server.url(), server.token(), server.project());
  }

  @AfterEach
  void disconnect() {
    dstack.close();
  }

  @Test
  void aFinishedRunsEventsAndMetricsRead() throws Exception {
    var name = Tasks.name("observed");
    var run = dstack.applyYaml(Tasks.task(name, List.of("echo observed")));
    assertEquals(RunStatus.DONE, run.await(Duration.ofMinutes(2)));

    var events =
        dstack
            .api()
            .events()
            .list(
                ListEventsRequest.builder()
                    .withinRuns(List.of(run.id()))
                    .ascending(true)
                    .limit(50)
                    .build());
    var metrics =
        dstack.api().metrics().job(dstack.project(), GetJobMetricsRequest.latest(name, 0, 0, 100));

    assertEquals("Run submitted. Status: SUBMITTED", events.getFirst().message());
    assertEquals("admin", events.getFirst().actorUser());
    assertEquals(run.id(), events.getFirst().targets().getFirst().id());
    assertEquals(
        "Run status changed TERMINATING -> DONE",
        events.stream().map(Event::message).toList().getLast());
    assertTrue(
        metrics.metrics().stream().allMatch(m -> m.values().size() == m.timestamps().size()));
    var page =
        dstack
            .api()
            .events()
            .list(
                ListEventsRequest.builder()
                    .withinRuns(List.of(run.id()))
                    .ascending(true)
                    .after(events.get(1).recordedAt(), events.get(1).id())
                    .build());
    assertEquals(events.subList(2, events.size()), page);
  }

  @Test
  void metricsOfNoSuchRunAreNotFound() {
    var missing =
        assertThrows(
            DstackException.NotFound.class,
            () ->
                dstack
                    .api()
                    .metrics()
                    .job(dstack.project(), GetJobMetricsRequest.latest("no-such-run", 0, 0, 1)));

    assertEquals("Found no job with given parameters", missing.getMessage());
  }

  @Test
  void gpusGroupTheOffersOfARunSpec() {
    var spec =
        dstack
            .planYaml(
                "type: task\ncommands:\n  - ':'\nresources:\n  cpu: 1\n  memory: 1GB..\n"
                    + "  gpu: 0\n")
            .runSpec();

    var grouped =
        dstack.api().gpus().list(dstack.project(), ListGpusRequest.of(spec, List.of("backend")));
    var refused =
        assertThrows(
            DstackException.ServerError.class,
            () ->
                dstack
                    .api()
                    .gpus()
                    .list(dstack.project(), ListGpusRequest.of(spec, List.of("region"))));

    assertEquals(List.of(), grouped.gpus());
    assertFalse(grouped.cpus().isEmpty(), grouped.toString());
    assertEquals("remote", grouped.cpus().getFirst().backend());
    assertTrue(refused.getMessage().contains("Cannot group by 'region'"), refused.getMessage());
  }
}
