package ai.dstack.activities.agents;

import ai.dstack.core.agents.runner.FileArchiveMapping;
import ai.dstack.core.agents.runner.JobSpec;
import ai.dstack.core.agents.runner.RepoData;
import ai.dstack.core.agents.runner.SubmitBody;
import ai.dstack.core.runs.InstanceOffer;
import ai.dstack.core.runs.InstanceResources;
import ai.dstack.core.runs.JobSubmissionRef;
import ai.dstack.workflows.agents.RunnerTarget;
import ai.dstack.workflows.agents.TaskTarget;
import ai.dstack.workflows.fleets.FleetInstance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** Test jobs: their names, targets and the bodies dstack's server would send for them. */
final class TestJobs {
  static final InstanceResources RESOURCES =
      new InstanceResources(2, 4096, List.of(), 10240, false);

  private TestJobs() {}

  /** A fresh submission of a one-job run. */
  static JobSubmissionRef newJob(String runName) {
    return new JobSubmissionRef(
        "main", runName, UUID.randomUUID(), runName + "-0-0", 0, 0, 0, UUID.randomUUID());
  }

  /** The local instance whose shim listens on {@code shimPort}. */
  static FleetInstance instance(int shimPort, boolean spot) {
    var resources = new InstanceResources(2, 4096, List.of(), 10240, spot);
    return new FleetInstance(
        "i-local-0", "local-0", "local", "host", "local", "127.0.0.1", shimPort, 0.0, resources, 1);
  }

  static TaskTarget task(JobSubmissionRef job, int shimPort) {
    return new TaskTarget(job, instance(shimPort, false), UUID.randomUUID().toString());
  }

  static RunnerTarget runner(TaskTarget task, int runnerPort) {
    return new RunnerTarget(task, runnerPort);
  }

  static InstanceOffer offer() {
    return new InstanceOffer(
        "local", "host", RESOURCES, "local", 0.0, "idle", 1, 1, "local", "i-local-0", "local-0");
  }

  /**
   * dstack's submit body for a task running {@code script} with {@code /bin/sh} in {@code
   * jobDir}/repo, the virtual repo's code extracted there.
   */
  static SubmitBody submitBody(
      JobSubmissionRef job, String script, String jobDir, List<FileArchiveMapping> archives) {
    var repo = new RepoData(RepoData.VIRTUAL, null, null, null, null);
    var spec =
        new JobSpec(
            0,
            0,
            1,
            null,
            List.of("/bin/sh", "-c", script),
            null,
            Map.of("LC_ALL", "C"),
            null,
            null,
            null,
            2,
            null,
            jobDir + "/repo",
            jobDir + "/repo",
            repo,
            null,
            archives);
    var runSpec =
        new SubmitBody.RunSpec(
            job.runName(), "repo-1", repo, new SubmitBody.Configuration("task"), null);
    return new SubmitBody(
        new SubmitBody.Run(job.runId().toString(), runSpec),
        spec,
        new SubmitBody.JobSubmission(job.submissionId().toString()),
        null,
        Map.of(),
        null,
        null,
        runSpec);
  }

  /** A tar archive of one file {@code name} (made by the tar command, as dstack's CLI would). */
  static byte[] tar(Path scratch, String name, byte[] content)
      throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory(scratch, "tar");
    Files.write(dir.resolve(name), content);
    Path archive = dir.resolveSibling(dir.getFileName() + ".tar");
    Process tar =
        new ProcessBuilder("tar", "-cf", archive.toString(), "-C", dir.toString(), name)
            .redirectErrorStream(true)
            .start();
    String output = new String(tar.getInputStream().readAllBytes());
    if (!tar.waitFor(30, TimeUnit.SECONDS) || tar.exitValue() != 0) {
      throw new IOException("tar failed: " + output);
    }
    return Files.readAllBytes(archive);
  }
}
