package ai.dstack.orchestrator.runs;

import ai.dstack.core.agents.shim.NetworkMode;
import ai.dstack.core.runs.InstanceOffer;
import ai.dstack.core.runs.JobStatus;
import ai.dstack.core.runs.JobTerminationReason;
import ai.dstack.core.runs.RunStatus;
import ai.dstack.core.runs.RunTerminationReason;
import ai.dstack.core.runs.wire.AgentRequests;
import ai.dstack.core.runs.wire.BackendTypes;
import ai.dstack.core.runs.wire.InstanceOfferWithAvailability;
import ai.dstack.core.runs.wire.InstanceType;
import ai.dstack.core.runs.wire.Job;
import ai.dstack.core.runs.wire.JobProvisioningData;
import ai.dstack.core.runs.wire.JobRuntimeData;
import ai.dstack.core.runs.wire.JobSubmission;
import ai.dstack.core.runs.wire.Run;
import ai.dstack.workflows.WorkflowIds;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Stored runs as dstack's {@code Run} on the wire. */
final class RunViews {
  private RunViews() {}

  /** The CPU architecture of the local host's offers. */
  static final String CPU_ARCH = "x86";

  /**
   * The run, with each job's submissions (at most the latest {@code submissionsLimit} of each; all
   * when null); a submission waiting in its fleet's queue says its place there ({@code
   * queuePositions}, by submission id) as its status message; the rows' JSON read through {@code
   * stored}.
   */
  static Run run(
      StoredValues stored,
      RunRow row,
      List<RunStore.JobSpecRow> jobs,
      List<SubmissionRow> submissions,
      Map<UUID, Integer> queuePositions,
      Integer submissionsLimit,
      Instant now) {
    var wireJobs = new ArrayList<Job>();
    for (var job : jobs) {
      var spec = stored.shownJobSpec(job.jobSpec());
      var mine =
          submissions.stream()
              .filter(s -> s.replicaNum() == job.replicaNum() && s.jobNum() == job.jobNum())
              .map(s -> queued(submission(stored, s), queuePositions.get(s.id())))
              .toList();
      if (mine.isEmpty()) {
        // The job workflow has not reported yet (the client always reads a latest submission):
        // its first submission, under the id the run workflow will give it.
        mine = List.of(pending(row, job));
      }
      if (submissionsLimit != null && mine.size() > submissionsLimit) {
        mine = mine.subList(mine.size() - submissionsLimit, mine.size());
      }
      wireJobs.add(new Job(spec, mine, null));
    }
    return Run.of(
        row.id(),
        row.projectName(),
        row.username(),
        null,
        row.submittedAt(),
        row.updatedAt(),
        RunStatus.of(row.status()),
        row.terminationReason() == null ? null : RunTerminationReason.of(row.terminationReason()),
        stored.runSpec(row.runSpec()),
        wireJobs,
        null,
        0,
        row.deleted(),
        null,
        now);
  }

  private static JobSubmission submission(StoredValues stored, SubmissionRow row) {
    var offer = stored.offer(row.offer());
    return JobSubmission.of(
        row.id(),
        row.submissionNum(),
        0,
        row.submittedAt(),
        row.finishedAt() != null ? row.finishedAt() : row.submittedAt(),
        JobStatus.of(row.status()),
        row.terminationReason() == null ? null : JobTerminationReason.of(row.terminationReason()),
        row.terminationMessage(),
        row.exitStatus(),
        offer == null ? null : provisioning(offer, row.hostname()),
        offer == null ? null : runtime(offer),
        stored.attempts(row.attempts()));
  }

  private static JobSubmission queued(JobSubmission submission, Integer position) {
    return position == null || submission.status() != JobStatus.SUBMITTED
        ? submission
        : submission.withStatusMessage(Run.QUEUED + " (position " + position + ")");
  }

  private static JobSubmission pending(RunRow run, RunStore.JobSpecRow job) {
    return JobSubmission.of(
        WorkflowIds.firstSubmission(run.id(), job.replicaNum(), job.jobNum()),
        0,
        0,
        run.submittedAt(),
        run.submittedAt(),
        JobStatus.SUBMITTED,
        null,
        null,
        null,
        null,
        null,
        List.of());
  }

  /**
   * How a job runs on its share of the instance: its CPU, memory and GPU limits, on the host's
   * network even for a share (the local engine has no bridge; each runner gets a port of its own).
   */
  static JobRuntimeData runtime(InstanceOffer offer) {
    var runtime = AgentRequests.jobRuntimeData(InstanceOfferWithAvailability.of(offer, CPU_ARCH));
    return new JobRuntimeData(
        NetworkMode.HOST,
        runtime.gpu(),
        runtime.cpu(),
        runtime.memory(),
        runtime.ports(),
        runtime.volumeNames(),
        runtime.offer(),
        runtime.workingDir(),
        runtime.username());
  }

  /** Where a job runs, as dstack's job provisioning data. */
  static JobProvisioningData provisioning(InstanceOffer offer, String hostname) {
    return new JobProvisioningData(
        BackendTypes.toWire(offer.backend()),
        null,
        InstanceType.of(offer.instanceType(), offer.resources(), CPU_ARCH),
        offer.instanceId(),
        hostname,
        hostname,
        false,
        null,
        offer.region(),
        null,
        null,
        offer.price(),
        "root",
        22,
        true,
        null,
        null,
        null);
  }
}
