package ai.dstack.orchestrator.runs;

import ai.dstack.core.runs.ProvisioningAttempt;
import ai.dstack.core.runs.RunStatus;
import ai.dstack.orchestrator.fleets.FleetRecords;
import ai.dstack.workflows.projections.FleetRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

/**
 * The metrics of runs and of the capacity they wait for, on {@code /actuator/prometheus} beside the
 * JVM's, the HTTP server's and the Temporal SDK's (which has the activities' latencies):
 *
 * <ul>
 *   <li>{@code dstack_runs{status}}: runs in each status, deleted runs left out;
 *   <li>{@code dstack_fleet_queue_length{project,fleet}}: job submissions waiting for a slot in the
 *       fleet ({@code project} is {@code *} for the local fleet, which serves them all);
 *   <li>{@code dstack_fleet_blocks} and {@code dstack_fleet_blocks_busy}, both {@code
 *       {project,fleet,instance_name}}: the blocks an instance is split into, and those granted to
 *       jobs (not {@code _total}: Prometheus keeps that suffix for counters);
 *   <li>{@code dstack_provisioning_attempts_total{backend,outcome}}: tries to start a job on an
 *       offer, {@code outcome} {@code success} or {@code failure}.
 * </ul>
 *
 * <p>The gauges read the projections (the runs table and the fleets' records), so every replica of
 * the server shows the same values. They share one snapshot of those tables, read when a gauge is
 * read and the snapshot is older than {@link #MAX_AGE}: a scrape, which reads every gauge at once,
 * costs one {@code GROUP BY} and one join. A fleet's or an instance's series is registered by the
 * first snapshot that holds it, during a scrape, so it shows by the next scrape at the latest; the
 * first snapshot without it removes it.
 */
@Component
class RunMetrics {

  /** How long a snapshot serves the gauges: far less than any scrape interval. */
  static final Duration MAX_AGE = Duration.ofSeconds(5);

  private static final Logger log = LoggerFactory.getLogger(RunMetrics.class);

  private final RunStore runs;
  private final FleetRecords fleets;
  private final MeterRegistry registry;
  private final MultiGauge queueLength;
  private final MultiGauge blocks;
  private final MultiGauge blocksBusy;
  private Snapshot snapshot;

  RunMetrics(RunStore runs, FleetRecords fleets, MeterRegistry registry) {
    this.runs = runs;
    this.fleets = fleets;
    this.registry = registry;
    for (var status : RunStatus.values()) {
      Gauge.builder("dstack.runs", this, metrics -> metrics.runsIn(status))
          .description("Runs in each status, deleted runs left out")
          .tag("status", status.value())
          .register(registry);
    }
    queueLength =
        MultiGauge.builder("dstack.fleet.queue.length")
            .description("Job submissions waiting for a slot in the fleet")
            .register(registry);
    blocks =
        MultiGauge.builder("dstack.fleet.blocks")
            .description("Blocks the instance is split into")
            .register(registry);
    blocksBusy =
        MultiGauge.builder("dstack.fleet.blocks.busy")
            .description("Blocks of the instance granted to jobs")
            .register(registry);
  }

  /**
   * Counts attempts that {@link RunProjections} has just stored for the first time: those beyond
   * the ones the submission's row held, in a write that advanced the row's sequence. A job workflow
   * writes its submission's records one at a time and a retried or late write does not advance the
   * sequence, so each attempt is counted once, by the server whose worker stored it. Counting in
   * the workflow would count again when a workflow task is retried, and deriving the count from the
   * table would make it fall when runs are deleted, which a Prometheus counter must not.
   */
  void attemptsStored(List<ProvisioningAttempt> attempts) {
    for (var attempt : attempts) {
      Counter.builder("dstack.provisioning.attempts")
          .description("Tries to start a job on an offer, by the offer's backend and the outcome")
          .tag("backend", attempt.offer().backend())
          .tag("outcome", attempt.succeeded() ? "success" : "failure")
          .register(registry)
          .increment();
    }
  }

  private double runsIn(RunStatus status) {
    var current = snapshot();
    return current.read() ? current.runsByStatus().getOrDefault(status.value(), 0L) : Double.NaN;
  }

  private double queueLength(Tags fleet) {
    var record = snapshot().fleets().get(fleet);
    return record == null ? Double.NaN : record.queueLength();
  }

  private double blocksOf(Tags instance, boolean busy) {
    var usage = snapshot().instances().get(instance);
    return usage == null ? Double.NaN : busy ? usage.busyBlocks() : usage.totalBlocks();
  }

  private synchronized Snapshot snapshot() {
    long now = System.nanoTime();
    if (snapshot == null || now - snapshot.readAt() > MAX_AGE.toNanos()) {
      snapshot = read(now);
      if (snapshot.read()) {
        var instances = snapshot.instances().keySet();
        queueLength.register(rows(snapshot.fleets().keySet(), this::queueLength), false);
        blocks.register(rows(instances, instance -> blocksOf(instance, false)), false);
        blocksBusy.register(rows(instances, instance -> blocksOf(instance, true)), false);
      }
    }
    return snapshot;
  }

  /** One row per series; a row already registered keeps its function, which reads by its tags. */
  private static List<MultiGauge.Row<?>> rows(Set<Tags> series, ToDoubleFunction<Tags> value) {
    return series.stream()
        .<MultiGauge.Row<?>>map(tags -> MultiGauge.Row.of(tags, () -> value.applyAsDouble(tags)))
        .toList();
  }

  private Snapshot read(long now) {
    try {
      var byFleet = new HashMap<Tags, FleetRecord>();
      var byInstance = new HashMap<Tags, FleetRecord.InstanceUsage>();
      for (var record : fleets.all()) {
        var fleet = Tags.of("project", record.project(), "fleet", record.fleetName());
        byFleet.put(fleet, record);
        for (var instance : record.instances()) {
          byInstance.put(fleet.and("instance_name", instance.instanceName()), instance);
        }
      }
      return new Snapshot(now, true, runs.countByStatus(), byFleet, byInstance);
    } catch (DataAccessException e) {
      // Gauges without a value, rather than a scrape that fails or waits on every gauge.
      log.warn("Metrics could not read the runs and fleets: {}", e.getMessage());
      return new Snapshot(now, false, Map.of(), Map.of(), Map.of());
    }
  }

  /**
   * The projections as read at {@code readAt} ({@link System#nanoTime}), or empty and not {@code
   * read} when the database did not answer.
   */
  private record Snapshot(
      long readAt,
      boolean read,
      Map<String, Long> runsByStatus,
      Map<Tags, FleetRecord> fleets,
      Map<Tags, FleetRecord.InstanceUsage> instances) {}
}
