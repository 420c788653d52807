package ai.dstack.orchestrator.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.dstack.orchestrator.testing.OnLocalFleet;
import ai.dstack.orchestrator.testing.RunRequests;
import ai.dstack.orchestrator.testing.ServerTest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * What {@code /actuator/prometheus} shows once a task ran on the local fleet: its run among the
 * done ones, the fleet's queue and blocks, its provisioning attempt, and the latencies of the
 * activities that ran it.
 */
@OnLocalFleet
class MetricsTest extends ServerTest {

  @Test
  void aScrapeAfterATaskShowsItsRunTheFleetItsAttemptAndActivityLatencies() {
    var project = unique("metrics");
    assertEquals(200, createProject(ADMIN, project).status());
    var runs = new RunRequests(api(), ADMIN);
    runs.apply(project, "measured", List.of("echo measured"));
    var run = runs.awaitFinished(project, "measured", Duration.ofMinutes(2));
    assertEquals("done", run.path("status").asText(), run.toString());

    // The gauges read the tables at most every 5 s, and a fleet's series show by the scrape after
    // the one that first read it; the Temporal SDK reports every 10 s.
    var local = Map.of("project", "*", "fleet", "local");
    var instance = Map.of("project", "*", "fleet", "local", "instance_name", "local-0");
    var scrape =
        awaitScrape(
            s ->
                s.value("dstack_runs", Map.of("status", "done")).orElse(0.0) >= 1
                    && s.value("dstack_fleet_queue_length", local).isPresent()
                    && s.value("dstack_fleet_blocks", instance).isPresent()
                    && s.value("dstack_fleet_blocks_busy", instance).isPresent()
                    && s.value(
                            "temporal_activity_execution_latency_seconds_count",
                            Map.of("activity_type", "StartTask"))
                        .isPresent(),
            Duration.ofSeconds(30));

    // Every status has its series, runs in it or not.
    assertTrue(scrape.value("dstack_runs", Map.of("status", "pending")).isPresent(), scrape.text);
    assertTrue(scrape.value("dstack_fleet_blocks", instance).orElseThrow() >= 1, scrape.text);
    assertTrue(
        scrape
                .value(
                    "dstack_provisioning_attempts_total",
                    Map.of("backend", "local", "outcome", "success"))
                .orElse(0.0)
            >= 1,
        scrape.text);
    assertTrue(
        scrape
                .value(
                    "temporal_activity_execution_latency_seconds_count",
                    Map.of("activity_type", "RecordJob"))
                .orElse(0.0)
            >= 1,
        scrape.text);
  }

  private Scrape awaitScrape(Predicate<Scrape> condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Scrape last;
    do {
      var response = api().get("/actuator/prometheus");
      assertEquals(200, response.status(), response.toString());
      last = new Scrape(response.text());
      if (condition.test(last)) {
        return last;
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    } while (System.nanoTime() < deadline);
    return fail("the scrape did not show it in " + timeout + ":\n" + last.text);
  }

  /** One scrape in Prometheus' text format. */
  private record Scrape(String text) {

    /** The value of the first sample of {@code name} that has every label of {@code labels}. */
    Optional<Double> value(String name, Map<String, String> labels) {
      return text.lines()
          .filter(line -> line.startsWith(name + "{"))
          .filter(
              line ->
                  labels.entrySet().stream()
                      .map(l -> l.getKey() + "=\"" + l.getValue() + "\"")
                      .allMatch(l -> line.contains("{" + l) || line.contains("," + l)))
          .map(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
          .findFirst();
    }
  }
}
