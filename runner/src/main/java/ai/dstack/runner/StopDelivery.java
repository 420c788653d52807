package ai.dstack.runner;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A graceful stop's SIGTERM, sent to the job's process group as dstack's runner sends it, and
 * delivered again when no process of the job could take it.
 *
 * <p>dstack runs a job's commands with {@code bash -i -c}. An interactive shell ignores SIGTERM,
 * and while it starts (reading {@code ~/.bashrc}) it may be the group's only process: a stop
 * landing then reaches nothing, and the program the shell goes on to exec, or the commands it runs,
 * would run until the SIGKILL at the end of {@code stop_duration}. So when every process of the
 * group ignored the SIGTERM, the runner looks at the group during the grace period and sends it to
 * the first processes that can take it, as if the stop had come then. Once some process took it,
 * the stop is what dstack's is: what runs afterwards (a trap's clean-up, the next command of a
 * loop) is left alone.
 */
final class StopDelivery {
  /** How often the group is looked at while no process took the stop. */
  private static final Duration FIRST_LOOKS = Duration.ofMillis(20);

  private static final Duration LATER_LOOKS = Duration.ofMillis(200);

  /** For how long the group is looked at {@link #FIRST_LOOKS} apart: a shell's start-up. */
  private static final Duration START_UP = Duration.ofSeconds(2);

  private final JobProcess job;
  private final RunnerLog log;
  private boolean taken;

  private StopDelivery(JobProcess job, RunnerLog log) {
    this.job = job;
    this.log = log;
  }

  /** Sends SIGTERM to the job's group, noting whether some process of it could take it. */
  static StopDelivery send(JobProcess job, RunnerLog log) {
    var delivery = new StopDelivery(job, log);
    var members = job.members();
    // Nothing to look at (no /proc): the one SIGTERM is all, as before.
    delivery.taken = members.isEmpty() || members.stream().anyMatch(m -> !m.ignoresTerm());
    job.signal("TERM");
    if (!delivery.taken) {
      log.info(
          "No process of the job could take the SIGTERM (a shell starting?): it goes to the"
              + " first ones that can");
    }
    return delivery;
  }

  /**
   * Waits up to {@code grace} for the job's process to exit, delivering the stop meanwhile to the
   * first processes that can take it, if none could when it was sent.
   *
   * @return whether it exited
   */
  boolean awaitExit(Duration grace) {
    Process process = job.process();
    long startedAt = System.nanoTime();
    long deadline = startedAt + grace.toNanos();
    try {
      while (true) {
        long now = System.nanoTime();
        long left = deadline - now;
        if (left <= 0) {
          return !process.isAlive();
        }
        long wait = left;
        if (!taken) {
          Duration look = now - startedAt < START_UP.toNanos() ? FIRST_LOOKS : LATER_LOOKS;
          wait = Math.min(left, look.toNanos());
        }
        if (process.waitFor(wait, TimeUnit.NANOSECONDS)) {
          return true;
        }
        if (!taken) {
          deliver();
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !process.isAlive();
    }
  }

  /** Sends SIGTERM to each process of the job that no longer ignores it, if there is one. */
  private void deliver() {
    for (JobProcess.Member member : job.members()) {
      ProcessTable.Entry process = member.process();
      if (!member.ignoresTerm() && JobProcess.terminate(process)) {
        taken = true;
        log.info(
            "SIGTERM to pid %d (%s): the first process of the job that can take the stop",
            process.pid(), process.name());
      }
    }
  }
}
