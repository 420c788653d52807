package ai.dstack.shim.testing;

import ai.dstack.shim.docker.DockerTaskEngine;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The safety net after a test: removes the containers and kills the processes of shims with this
 * home, should a failed test have left any (a passing test leaves none).
 */
public final class Leftovers {
  private Leftovers() {}

  public static void remove(Path home) {
    Path real;
    try {
      real = home.toRealPath();
    } catch (IOException e) {
      return;
    }
    try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
      all.filter(p -> cwdUnder(p, real)).forEach(ProcessHandle::destroyForcibly);
    }
    try {
      Process list =
          new ProcessBuilder(
                  "docker",
                  "ps",
                  "-aq",
                  "--filter",
                  "label=" + DockerTaskEngine.LABEL_HOME + "=" + real)
              .redirectErrorStream(true)
              .start();
      List<String> ids =
          new String(list.getInputStream().readAllBytes())
              .lines()
              .filter(l -> !l.isBlank())
              .toList();
      if (list.waitFor(30, TimeUnit.SECONDS) && list.exitValue() == 0 && !ids.isEmpty()) {
        var command = new java.util.ArrayList<>(List.of("docker", "rm", "-f"));
        command.addAll(ids);
        new ProcessBuilder(command).redirectErrorStream(true).start().waitFor(60, TimeUnit.SECONDS);
      }
    } catch (IOException e) {
      // no docker CLI: nothing to remove
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static boolean cwdUnder(ProcessHandle process, Path dir) {
    try {
      return Path.of("/proc/" + process.pid() + "/cwd").toRealPath().startsWith(dir);
    } catch (IOException | SecurityException e) {
      return false;
    }
  }
}
