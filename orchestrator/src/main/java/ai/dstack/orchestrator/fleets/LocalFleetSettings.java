package ai.dstack.orchestrator.fleets;

import ai.dstack.activities.local.LocalShim;
import ai.dstack.core.configurations.Blocks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.OptionalInt;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How the server runs its {@code local} fleet: this host, through a shim it starts (or adopts) with
 * its state in {@code <server dir>/local-shim}. Whether there is one at all is {@code
 * DSTACK_LOCAL_FLEET} (the property {@code dstack.local-fleet}), read by {@link Switch}.
 *
 * @param blocks {@code DSTACK_LOCAL_FLEET_BLOCKS}: how many blocks the host is split into, so jobs
 *     share it, as dstack's fleet {@code blocks}: {@code auto} (the default: as many as both the
 *     host's GPUs and its CPUs divide into, i.e. one per GPU, or one per CPU without GPUs; a job
 *     takes the fewest blocks that meet its resources) or a number that divides both
 * @param cpus {@code DSTACK_LOCAL_FLEET_CPUS}: how many CPUs the host offers, a whole number of at
 *     least 1; by default (empty) as many as the shim reports. More than the host has
 *     oversubscribes it for light jobs (more blocks, so more jobs at once, each with a smaller part
 *     of the memory); the blocks divide this number
 * @param mode {@code DSTACK_LOCAL_FLEET_MODE}: {@code auto} (jobs in Docker containers when an
 *     engine answers, else as processes), {@code docker} or {@code process}
 * @param onShutdown {@code DSTACK_LOCAL_FLEET_ON_SHUTDOWN}: what a clean server shutdown does with
 *     the shim: {@code stop-when-idle} (the default: stop it unless jobs run, which the next server
 *     adopts), {@code stop} or {@code keep}
 * @param shimPort {@code DSTACK_LOCAL_FLEET_SHIM_PORT}: the first shim's port, 0 (the default) for
 *     any free one; later shims reuse the port recorded in the state dir
 * @param shimJar {@code DSTACK_LOCAL_FLEET_SHIM_JAR}: the shim's jar (its {@code lib/} beside it);
 *     by default {@code shim/target/dstack-shim-*.jar} of the repository the server runs from
 * @param runnerJar {@code DSTACK_LOCAL_FLEET_RUNNER_JAR}: the runner's self-contained jar; by
 *     default {@code runner/target/dstack-runner-*.jar} of that repository
 * @param javaHome {@code DSTACK_LOCAL_FLEET_JAVA_HOME}: the Java runtime of the shim and the
 *     runners; by default the server's own
 * @param checkInterval how often the shim's supervision checks it lives (default 2 s)
 * @param startTimeout how long the shim may take to start (default 2 min)
 */
@ConfigurationProperties("dstack.local-fleet")
public record LocalFleetSettings(
    String blocks,
    String cpus,
    LocalShim.Mode mode,
    LocalShim.OnShutdown onShutdown,
    int shimPort,
    Path shimJar,
    Path runnerJar,
    Path javaHome,
    Duration checkInterval,
    Duration startTimeout) {

  public LocalFleetSettings {
    blocks = blocks == null || blocks.isBlank() ? "auto" : blocks.strip();
    cpus = cpus == null || cpus.isBlank() ? null : cpus.strip();
    mode = mode == null ? LocalShim.Mode.AUTO : mode;
    onShutdown = onShutdown == null ? LocalShim.OnShutdown.STOP_WHEN_IDLE : onShutdown;
  }

  /**
   * {@link #blocks} as a fleet's {@code blocks}.
   *
   * @throws IllegalArgumentException when it is neither {@code auto} nor a number of at least 1
   */
  public Blocks parsedBlocks() {
    if (blocks.equalsIgnoreCase("auto")) {
      return Blocks.AUTO;
    }
    try {
      long count = Long.parseLong(blocks);
      if (count >= 1) {
        return new Blocks(count);
      }
    } catch (NumberFormatException e) {
      // the message below says what is expected
    }
    throw new IllegalArgumentException(
        "DSTACK_LOCAL_FLEET_BLOCKS must be auto or a number of at least 1, not " + blocks);
  }

  /**
   * {@link #cpus} as a count: empty for the host's as the shim reports them.
   *
   * @throws IllegalArgumentException when it is not a whole number of at least 1
   */
  public OptionalInt parsedCpus() {
    if (cpus == null) {
      return OptionalInt.empty();
    }
    try {
      int count = Integer.parseInt(cpus);
      if (count >= 1) {
        return OptionalInt.of(count);
      }
    } catch (NumberFormatException e) {
      // the message below says what is expected
    }
    throw new IllegalArgumentException(
        "DSTACK_LOCAL_FLEET_CPUS must be a whole number of at least 1 (or unset for the host's"
            + " CPUs), not "
            + cpus);
  }

  /**
   * {@code DSTACK_LOCAL_FLEET}: whether the server has a local fleet. {@code auto} (the default)
   * has one with the embedded Temporal dev server, and none with an existing cluster ({@code
   * DSTACK_TEMPORAL_ADDRESS}), where several servers may share the workflows and each host would
   * claim the one local fleet.
   */
  public enum Switch {
    AUTO,
    ON,
    OFF;

    /** The switch a setting names: true, false or auto (also on, off, yes, no, 1, 0). */
    public static Switch parse(String value) {
      if (value == null || value.isBlank()) {
        return AUTO;
      }
      return switch (value.strip().toLowerCase(Locale.ROOT)) {
        case "auto" -> AUTO;
        case "true", "on", "yes", "1" -> ON;
        case "false", "off", "no", "0" -> OFF;
        default ->
            throw new IllegalArgumentException(
                "DSTACK_LOCAL_FLEET must be true, false or auto, not " + value);
      };
    }

    /** Whether the fleet runs, given whether Temporal is an existing cluster. */
    public boolean on(boolean externalTemporal) {
      return this == ON || (this == AUTO && !externalTemporal);
    }
  }
}
