package ai.dstack.runner;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A graceful stop's SIGTERM, sent to the job's process group and then passed on, during the grace
 * period, to the job's processes that could not take it when it went out.
 *
 * <p>dstack runs a job's commands with {@code bash -i -c}. An interactive shell ignores SIGTERM,
 * and while it starts (reading {@code ~/.bashrc}) it may be the group's only process: a stop
 * landing then reaches nothing, and the commands the shell goes on to run, or the one it execs,
 * would run until the SIGKILL at the end of {@code stop_duration}. So a process that ignored
 * SIGTERM when it went out has missed the stop, and so has a process started afterwards by one that
 * missed it; each is sent SIGTERM once it no longer ignores it (it exec'd a program, or reset the
 * signal). Processes that took the SIGTERM, and whatever they start afterwards (a trap's clean-up,
 * a checkpoint writer), are left alone: the stop reached them.
 */
final class StopDelivery {
  /** How often the group is looked at while some process may still miss the stop. */
  private static final Duration FIRST_LOOKS = Duration.ofMillis(20);

  private static final Duration LATER_LOOKS = Duration.ofMillis(200);

  /** For how long the group is looked at {@link #FIRST_LOOKS} apart: a shell's start-up. */
  private static final Duration START_UP = Duration.ofSeconds(2);

  private record Key(long pid, long startTicks) {
    static Key of(ProcessTable.Entry process) {
      return new Key(process.pid(), process.startTicks());
    }
  }

  private final JobProcess job;
  private final RunnerLog log;

  /** Every process looked at so far. */
  private final Set<Key> seen = new HashSet<>();

  /** The live processes that have not taken the SIGTERM. */
  private final Set<Key> missed = new HashSet<>();

  private StopDelivery(JobProcess job, RunnerLog log) {
    this.job = job;
    this.log = log;
  }

  /** Notes which processes of the job ignore SIGTERM, then sends it to the job's group. */
  static StopDelivery send(JobProcess job, RunnerLog log) {
    var delivery = new StopDelivery(job, log);
    for (JobProcess.Member member : job.members()) {
      Key key = Key.of(member.process());
      delivery.seen.add(key);
      if (member.ignoresTerm()) {
        delivery.missed.add(key);
      }
    }
    job.signal("TERM");
    return delivery;
  }

  /**
   * Waits up to {@code grace} for the job's process to exit, passing the stop on meanwhile.
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
        if (!missed.isEmpty()) {
          Duration look = now - startedAt < START_UP.toNanos() ? FIRST_LOOKS : LATER_LOOKS;
          wait = Math.min(left, look.toNanos());
        }
        if (process.waitFor(wait, TimeUnit.NANOSECONDS)) {
          return true;
        }
        passOn();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !process.isAlive();
    }
  }

  /** Looks at the group again and sends SIGTERM to the processes that missed it and now take it. */
  private void passOn() {
    if (missed.isEmpty()) {
      return;
    }
    var missedBefore = new HashSet<>(missed);
    var keysByPid = new HashMap<Long, Key>();
    var alive = new HashSet<Key>();
    for (JobProcess.Member member : job.members()) { // parents before their children
      ProcessTable.Entry process = member.process();
      Key key = Key.of(process);
      keysByPid.put(process.pid(), key);
      alive.add(key);
      if (seen.add(key) && missedBefore.contains(keysByPid.get(process.ppid()))) {
        missed.add(key); // started after the stop by a process that had not taken it
        missedBefore.add(key);
      }
      if (missed.contains(key) && !member.ignoresTerm()) {
        missed.remove(key);
        if (JobProcess.terminate(process)) {
          log.info(
              "SIGTERM to pid %d (%s) too: it started or changed program after the stop, under"
                  + " a process that ignored SIGTERM then (a shell starting)",
              process.pid(), process.name());
        }
      }
    }
    missed.retainAll(alive);
  }
}
