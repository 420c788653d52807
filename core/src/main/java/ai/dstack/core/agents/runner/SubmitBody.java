package ai.dstack.core.agents.runner;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.Map;

/**
 * What {@link RunnerApi#SUBMIT} carries: the job and its context (dstack's {@code SubmitBody}, the
 * subset {@code json_for_runner} keeps).
 *
 * @param run the run: its id, name and repo
 * @param jobSpec what to run
 * @param jobSubmission the submission ({@code DSTACK_JOB_ID})
 * @param clusterInfo the nodes of a multi-node job; {@code null}: a single node
 * @param secrets the project's secrets, set in the job's environment under {@code env}
 * @param repoCredentials how to clone a {@code remote} repo
 * @param logQuotaHour the most bytes of job output per hour; {@code null} or 0: unlimited
 * @param runSpec deprecated duplicate of {@code run.run_spec}, sent for runners before 0.19.8
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SubmitBody(
    Run run,
    JobSpec jobSpec,
    JobSubmission jobSubmission,
    ClusterInfo clusterInfo,
    Map<String, String> secrets,
    RepoCredentials repoCredentials,
    Long logQuotaHour,
    RunSpec runSpec) {
  public SubmitBody {
    secrets = secrets == null ? Map.of() : Map.copyOf(secrets);
  }

  /** The run's spec: {@code run.run_spec}, else the deprecated top-level one. */
  public RunSpec effectiveRunSpec() {
    if (run != null && run.runSpec() != null) {
      return run.runSpec();
    }
    return runSpec;
  }

  /** The repo: the job spec's, else the run spec's (jobs submitted before dstack 0.19.17). */
  public RepoData effectiveRepoData() {
    if (jobSpec != null && jobSpec.repoData() != null) {
      return jobSpec.repoData();
    }
    RunSpec spec = effectiveRunSpec();
    return spec == null ? null : spec.repoData();
  }

  /** The run, as much of dstack's {@code Run} as the runner reads. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Run(String id, RunSpec runSpec) {}

  /** As much of dstack's {@code RunSpec} as the runner reads. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record RunSpec(
      String runName,
      String repoId,
      RepoData repoData,
      Configuration configuration,
      String configurationPath) {}

  /** The run configuration; the runner reads its {@code type} only. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Configuration(String type) {}

  /** The job submission; the runner reads its {@code id} only. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record JobSubmission(String id) {}
}
