package ai.dstack.shim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.dstack.core.agents.runner.JobState;
import ai.dstack.core.agents.shim.TaskStatus;
import ai.dstack.shim.testing.RunnerJar;
import ai.dstack.shim.testing.ShimProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The real runner as a host process. */
class ProcessRunnerEndToEndTest extends RunnerEndToEndContract {

  @Override
  String mode() {
    return "process";
  }

  @Override
  String image() {
    return "unused-in-process-mode";
  }

  @Override
  String jobDir() throws IOException {
    return Files.createDirectories(temp.resolve("job")).toString();
  }

  @Test
  void theNextTaskTakesTheRunnerStartedAheadAsIfStartedForIt() throws Exception {
    Followed first = runJob(List.of("echo first"));
    shim.awaitStatus(first.taskId(), TaskStatus.TERMINATED, TIMEOUT);
    // once a task's runner is gone the next one is started ahead, standing by in its own dir
    Path standbyLog = awaitStandby().resolve("runner.log");
    long standbyPid = runnerPidIn(standbyLog.getParent());
    boolean root = Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    // as root the shim starts it at a lower priority, and raises it back for its task
    assertEquals(Set.of(root ? 10 : 0), niceness(standbyPid));

    Map<String, Object> noWorkingDir = new HashMap<>();
    noWorkingDir.put("working_dir", null);
    int port = ShimProcess.freePort();
    String taskId = startTask(port);
    assertEquals(Set.of(0), niceness(standbyPid), "every thread of the task's runner");
    submitAndRun(port, List.of("pwd"), noWorkingDir);
    Followed second = follow(taskId, port);

    assertEquals(JobState.DONE, second.last().state(), second::toString);
    // the job runs where a runner started for the task runs it: in the task's dir, which holds
    // the task runner's pid and output
    Path workDir = Path.of(second.log().strip());
    assertEquals(temp.resolve("home/runners").toRealPath(), workDir.getParent(), second::toString);
    assertFalse(workDir.getFileName().toString().startsWith(".standby-"), workDir::toString);
    assertEquals(
        String.valueOf(standbyPid), Files.readString(workDir.resolve("runner.pid")).strip());
    String taskLog = Files.readString(workDir.resolve("runner.log"));
    assertTrue(taskLog.contains("runner standing by"), taskLog);
  }

  @Test
  void aRunnerStandsByFromTheShimsStartAndTheFirstTaskTakesIt() throws Exception {
    long standbyPid = runnerPidIn(awaitStandby());

    Map<String, Object> noWorkingDir = new HashMap<>();
    noWorkingDir.put("working_dir", null);
    int port = ShimProcess.freePort();
    String taskId = startTask(port);
    submitAndRun(port, List.of("pwd"), noWorkingDir);
    Followed first = follow(taskId, port);

    assertEquals(JobState.DONE, first.last().state(), first::toString);
    Path taskDir = Path.of(first.log().strip()); // the job runs in the task's dir
    String taskLog = Files.readString(taskDir.resolve("runner.log"));
    assertTrue(taskLog.contains("runner standing by"), taskLog);
    assertEquals(
        String.valueOf(standbyPid), Files.readString(taskDir.resolve("runner.pid")).strip());
  }

  @Test
  void noRunnerIsStartedAheadWhenTheShimIsToldSo() throws Exception {
    shim.close();
    shim =
        ShimProcess.start(
            temp.resolve("home"),
            "--mode",
            "process",
            "--standby-runner",
            "off",
            "--runner-jar",
            RunnerJar.require().toString());
    Followed job = runJob(List.of("echo alone"));
    shim.awaitStatus(job.taskId(), TaskStatus.TERMINATED, TIMEOUT);
    ShimProcess.sleep(1000);
    assertEquals(Optional.empty(), standbyDir(), "no standby runner");
  }

  private Path awaitStandby() throws IOException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (true) {
      Optional<Path> dir = standbyDir();
      if (dir.isPresent()
          && Files.exists(dir.get().resolve("runner.log"))
          && Files.readString(dir.get().resolve("runner.log")).contains("runner standing by")) {
        return dir.get();
      }
      if (System.nanoTime() > deadline) {
        fail("no runner stood by: " + dir + "\n" + shim.log());
      }
      ShimProcess.sleep(50);
    }
  }

  private Optional<Path> standbyDir() throws IOException {
    try (Stream<Path> dirs = Files.list(temp.resolve("home/runners"))) {
      return dirs.filter(d -> d.getFileName().toString().startsWith(".standby-")).findFirst();
    }
  }

  /** The niceness of each thread of the process. */
  private static Set<Integer> niceness(long pid) throws IOException {
    try (Stream<Path> threads = Files.list(Path.of("/proc/" + pid + "/task"))) {
      Set<Integer> values = new TreeSet<>();
      for (Path thread : threads.toList()) {
        String stat = Files.readString(thread.resolve("stat"));
        // after "pid (comm) ": state is field 3, nice field 19
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        values.add(Integer.parseInt(fields[16]));
      }
      return values;
    }
  }

  /** The runner JVM working in {@code dir}. */
  private static long runnerPidIn(Path dir) throws IOException {
    Path real = dir.toRealPath();
    return ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().orElse("").contains("--standby"))
        .filter(
            p -> {
              try {
                return Path.of("/proc/" + p.pid() + "/cwd").toRealPath().equals(real);
              } catch (IOException e) {
                return false;
              }
            })
        .mapToLong(ProcessHandle::pid)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no standby runner works in " + dir));
  }
}
