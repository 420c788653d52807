package ai.dstack.shim.process;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Signals a process group: the group a process leads when started through {@code setsid}. Falls
 * back to the process and its descendants where {@code setsid} or {@code kill} is missing.
 */
final class ProcessGroup {
  private static final System.Logger LOG = System.getLogger(ProcessGroup.class.getName());

  private ProcessGroup() {}

  /** Whether {@code setsid} can start processes in their own session (and process group). */
  static boolean setsidAvailable() {
    return onPath("setsid") && onPath("kill");
  }

  /**
   * Stops the group led by {@code leader}: SIGTERM, then SIGKILL after {@code timeout} to whatever
   * of the group and of the leader's descendants is left.
   */
  static void stop(ProcessHandle leader, boolean ownGroup, Duration timeout) {
    List<ProcessHandle> descendants = leader.descendants().toList();
    if (ownGroup) {
      signal(leader.pid(), "TERM");
    } else {
      leader.destroy();
      descendants.forEach(ProcessHandle::destroy);
    }
    try {
      leader.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      LOG.log(
          Level.INFO,
          "process {0} outlived its {1}s; killing it",
          leader.pid(),
          timeout.toSeconds());
    } catch (java.util.concurrent.ExecutionException e) {
      // cannot happen for onExit
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (ownGroup) {
      signal(leader.pid(), "KILL"); // the group may outlive its leader
    }
    leader.destroyForcibly();
    descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    try {
      leader.onExit().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.log(Level.WARNING, "process {0} did not exit after SIGKILL", leader.pid());
    }
  }

  /**
   * Whether processes can be started at a lower priority and raised back later: raising back needs
   * root (renice to a lower niceness), and the group to raise is a {@code setsid} one.
   */
  static boolean reniceAvailable() {
    try {
      return setsidAvailable()
          && onPath("nice")
          && onPath("renice")
          && Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  /** {@code renice -n NICENESS -g PGID}, every thread of the group; whether it succeeded. */
  static boolean renice(long pgid, int niceness) {
    try {
      Process renice =
          new ProcessBuilder("renice", "-n", Integer.toString(niceness), "-g", Long.toString(pgid))
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      return renice.waitFor(10, TimeUnit.SECONDS) && renice.exitValue() == 0;
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot renice process group {0}: {1}", pgid, e.getMessage());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** {@code kill -s SIG -- -PGID}; a group that no longer exists is fine. */
  private static void signal(long pgid, String signal) {
    try {
      Process kill =
          new ProcessBuilder("kill", "-s", signal, "--", "-" + pgid)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      kill.waitFor(10, TimeUnit.SECONDS);
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot signal process group {0}: {1}", pgid, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static boolean onPath(String command) {
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    for (String dir : path.split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
        return true;
      }
    }
    return false;
  }
}
