package ai.dstack.shim;

import ai.dstack.shim.testing.ShimProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Tasks as host processes (hosts without Docker). */
class ProcessModeTest extends TaskLifecycleContract {

  @Override
  String mode() {
    return "process";
  }

  @Override
  String image() {
    return "unused-in-process-mode";
  }

  /**
   * Each task's runner started for it, as these cases count and signal them; the runner started
   * ahead is {@link ProcessRunnerEndToEndTest}'s subject.
   */
  @Override
  ShimProcess startShim(Path shimHome) throws IOException {
    return ShimProcess.start(
        shimHome,
        "--mode",
        mode(),
        "--runner-jar",
        runnerJar.toString(),
        "--standby-runner",
        "off");
  }

  /** A process running the runner jar whose working directory is a task directory of this home. */
  @Override
  boolean workloadLeft(String taskId) throws Exception {
    Path runners = home.resolve("runners").toRealPath();
    try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
      return all.anyMatch(
          p -> {
            try {
              Path cwd = Path.of("/proc/" + p.pid() + "/cwd").toRealPath();
              return cwd.startsWith(runners)
                  && p.info().commandLine().orElse("").contains(runnerJar.toString());
            } catch (Exception e) {
              return false; // gone, or not ours to read
            }
          });
    }
  }
}
