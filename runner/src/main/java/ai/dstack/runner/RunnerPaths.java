package ai.dstack.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The layout of the runner's home dir.
 *
 * @param workDir the job's working dir when its spec names none
 */
record RunnerPaths(Path home, Path workDir) {
  /** Creates the dirs the runner writes to before any job. */
  static RunnerPaths create(Path home, Path workDir) throws IOException {
    var paths = new RunnerPaths(home, workDir);
    Files.createDirectories(paths.logs());
    return paths;
  }

  /** {@code job.log} and {@code runner.log}. */
  Path logs() {
    return home.resolve("logs");
  }

  Path jobLog() {
    return logs().resolve("job.log");
  }

  Path runnerLog() {
    return logs().resolve("runner.log");
  }

  Uploads uploads() {
    return new Uploads(home.resolve("uploads"));
  }

  /** The repo dir of a job spec that names none. */
  Path defaultRepoDir() {
    return home.resolve("repo");
  }

  /** {@code DSTACK_MPI_HOSTFILE}. */
  Path mpiHostfile() {
    return home.resolve("mpi").resolve("hostfile");
  }

  /** The job's environment as a shell profile, for shells opened into the container. */
  Path profile() {
    return home.resolve("profile");
  }

  /** Private files of the runner (e.g. a git SSH key while cloning). */
  Path scratch() {
    return home.resolve("scratch");
  }
}
