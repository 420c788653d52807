package ai.dstack.runner;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The job's process, started in a session and process group of its own ({@code setsid} from
 * util-linux), as the job user ({@code setpriv}) when the runner is root, stdout and stderr merged,
 * stdin empty; signalled as a whole group.
 */
final class JobProcess {
  private static final Optional<Path> SETSID = which("setsid", System.getenv("PATH"));
  private static final Optional<Path> SETPRIV = which("setpriv", System.getenv("PATH"));
  private static final ProcessTable PROCESSES = new ProcessTable(Path.of("/proc"));

  /** A process of the job's group, and whether it ignored SIGTERM when it was looked at. */
  record Member(ProcessTable.Entry process, boolean ignoresTerm) {}

  private final Process process;
  private final boolean ownGroup;

  private JobProcess(Process process, boolean ownGroup) {
    this.process = process;
    this.ownGroup = ownGroup;
  }

  /**
   * Starts {@code argv} in {@code workingDir} with exactly {@code env}.
   *
   * @param switchUser the user to become, or null to stay the runner's user
   */
  static JobProcess start(
      List<String> argv,
      Path workingDir,
      Map<String, String> env,
      JobUser switchUser,
      RunnerLog log)
      throws IOException {
    var command = new ArrayList<String>();
    boolean ownGroup = SETSID.isPresent();
    if (ownGroup) {
      command.add(SETSID.get().toString());
      command.add("--wait");
    } else {
      log.warn("setsid (util-linux) is missing: signals reach the job's process tree, not a group");
    }
    if (switchUser != null) {
      if (SETPRIV.isEmpty()) {
        throw new IOException(
            "setpriv (util-linux) is missing: cannot run as " + switchUser.name());
      }
      command.add(SETPRIV.get().toString());
      command.add("--reuid=" + switchUser.uid());
      command.add("--regid=" + switchUser.gid());
      command.add(switchUser.known() ? "--init-groups" : "--clear-groups");
      command.add("--");
    }
    command.addAll(argv);
    var builder =
        new ProcessBuilder(command)
            .directory(workingDir.toFile())
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    builder.environment().clear();
    builder.environment().putAll(env);
    return new JobProcess(builder.start(), ownGroup);
  }

  Process process() {
    return process;
  }

  /** Sends {@code signal} ({@code TERM}, {@code KILL}) to every process of the job's group. */
  void signal(String signal) {
    if (!ownGroup) {
      process.descendants().forEach(p -> destroy(p, signal));
      destroy(process.toHandle(), signal);
      return;
    }
    // The group id is the pid: setsid made the job's process the leader of a new session.
    try {
      Process kill =
          new ProcessBuilder("/bin/sh", "-c", "kill -s " + signal + " -- -" + process.pid())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!kill.waitFor(5, TimeUnit.SECONDS)) {
        kill.destroyForcibly();
      }
    } catch (IOException e) {
      destroy(process.toHandle(), signal);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The job's live processes, oldest first; none where {@code /proc} cannot be read. */
  List<Member> members() {
    Predicate<ProcessTable.Entry> inJob;
    if (ownGroup) {
      inJob = entry -> entry.pgrp() == process.pid();
    } else {
      var pids = new HashSet<Long>();
      pids.add(process.pid());
      process.descendants().forEach(p -> pids.add(p.pid()));
      inJob = entry -> pids.contains(entry.pid());
    }
    var members = new ArrayList<Member>();
    for (ProcessTable.Entry entry : PROCESSES.entries()) {
      if (inJob.test(entry) && !entry.zombie()) {
        PROCESSES
            .ignoresTerm(entry.pid())
            .ifPresent(ignores -> members.add(new Member(entry, ignores)));
      }
    }
    members.sort(
        Comparator.comparingLong((Member m) -> m.process().startTicks())
            .thenComparingLong(m -> m.process().pid()));
    return members;
  }

  /** Sends SIGTERM to one process of the job; false when it is gone. */
  static boolean terminate(ProcessTable.Entry member) {
    return ProcessHandle.of(member.pid()).map(ProcessHandle::destroy).orElse(false);
  }

  private static void destroy(ProcessHandle handle, String signal) {
    if (signal.equals("KILL")) {
      handle.destroyForcibly();
    } else {
      handle.destroy();
    }
  }

  /** The executable {@code program} names, looked up in {@code path} when it has no slash. */
  static Optional<Path> which(String program, String path) {
    if (program.contains("/")) {
      Path file = Path.of(program);
      return Files.isRegularFile(file) && Files.isExecutable(file)
          ? Optional.of(file)
          : Optional.empty();
    }
    String dirs = path == null || path.isEmpty() ? "/usr/local/bin:/usr/bin:/bin" : path;
    for (String dir : dirs.split(":")) {
      if (dir.isEmpty()) {
        continue;
      }
      Path file = Path.of(dir, program);
      if (Files.isRegularFile(file) && Files.isExecutable(file)) {
        return Optional.of(file);
      }
    }
    return Optional.empty();
  }
}
