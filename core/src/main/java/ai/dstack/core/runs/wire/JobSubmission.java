package ai.dstack.core.runs.wire;

import ai.dstack.core.agents.shim.ImagePullProgress;
import ai.dstack.core.runs.JobStatus;
import ai.dstack.core.runs.JobTerminationReason;
import ai.dstack.core.runs.ProvisioningAttempt;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One submission of a job, dstack's {@code JobSubmission}: a job is resubmitted on retry, and each
 * try is a submission with its own id, status and instance.
 *
 * @param id the submission's id (dstack's job id), a version 4 UUID
 * @param submissionNum 0 for the first submission
 * @param deploymentNum the run deployment the submission belongs to
 * @param finishedAt when it finished (dstack: its last processing), null while it runs
 * @param inactivitySecs how long a dev environment has had no SSH connection, or null
 * @param statusMessage what the CLI shows as the status, never null (see {@link
 *     JobStatus#statusMessage})
 * @param terminationReason why it ended or is ending, or null
 * @param exitStatus the exit status of the job's commands, or null
 * @param jobProvisioningData where it was placed, null until then
 * @param jobRuntimeData what is known once it runs, or null
 * @param error the error the CLI shows for the termination reason, or null
 * @param probes the service probes' success streaks, in the job spec's order
 * @param provisioningAttempts ours, not dstack's: the offers tried for the submission, what
 *     happened on each (the client ignores fields it does not know)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record JobSubmission(
    UUID id,
    int submissionNum,
    int deploymentNum,
    @JsonSerialize(using = Timestamps.Serializer.class)
        @JsonDeserialize(using = Timestamps.Deserializer.class)
        Instant submittedAt,
    @JsonSerialize(using = Timestamps.Serializer.class)
        @JsonDeserialize(using = Timestamps.Deserializer.class)
        Instant lastProcessedAt,
    @JsonSerialize(using = Timestamps.Serializer.class)
        @JsonDeserialize(using = Timestamps.Deserializer.class)
        Instant finishedAt,
    Long inactivitySecs,
    JobStatus status,
    String statusMessage,
    JobTerminationReason terminationReason,
    String terminationReasonMessage,
    Integer exitStatus,
    JobProvisioningData jobProvisioningData,
    JobRuntimeData jobRuntimeData,
    String error,
    List<Probe> probes,
    ImagePullProgress imagePullProgress,
    List<Attempt> provisioningAttempts) {

  public JobSubmission {
    WireValues.uuid4("job submission id", id);
    if (submittedAt == null || lastProcessedAt == null || status == null) {
      throw new IllegalArgumentException(
          "a job submission needs submitted_at, last_processed_at and status");
    }
    if (statusMessage == null) {
      statusMessage = status.statusMessage(terminationReason, terminationReasonMessage, exitStatus);
    }
    probes = probes == null ? List.of() : List.copyOf(probes);
    provisioningAttempts =
        provisioningAttempts == null ? List.of() : List.copyOf(provisioningAttempts);
  }

  /**
   * A submission as dstack's server shows it: its status message and error from its status and
   * termination reason, and {@code finished_at} its last processing once finished.
   */
  public static JobSubmission of(
      UUID id,
      int submissionNum,
      int deploymentNum,
      Instant submittedAt,
      Instant lastProcessedAt,
      JobStatus status,
      JobTerminationReason terminationReason,
      String terminationReasonMessage,
      Integer exitStatus,
      JobProvisioningData jobProvisioningData,
      JobRuntimeData jobRuntimeData,
      List<ProvisioningAttempt> attempts) {
    return new JobSubmission(
        id,
        submissionNum,
        deploymentNum,
        submittedAt,
        lastProcessedAt,
        status.isFinished() ? lastProcessedAt : null,
        null,
        status,
        null,
        terminationReason,
        terminationReasonMessage,
        exitStatus,
        jobProvisioningData,
        jobRuntimeData,
        terminationReason == null ? null : terminationReason.toError(),
        List.of(),
        null,
        attempts == null ? List.of() : attempts.stream().map(Attempt::of).toList());
  }

  /**
   * This submission with another status message: ours for a job waiting in its fleet's queue
   * ({@code queued (position 2)}), which dstack's clients show as the status.
   */
  public JobSubmission withStatusMessage(String message) {
    return new JobSubmission(
        id,
        submissionNum,
        deploymentNum,
        submittedAt,
        lastProcessedAt,
        finishedAt,
        inactivitySecs,
        status,
        message,
        terminationReason,
        terminationReasonMessage,
        exitStatus,
        jobProvisioningData,
        jobRuntimeData,
        error,
        probes,
        imagePullProgress,
        provisioningAttempts);
  }

  /**
   * What the submission has cost, dstack's way: the price of its instance for the time from its
   * submission to its end (or {@code now}), zero without an instance.
   */
  public double cost(Instant now) {
    if (jobProvisioningData == null) {
      return 0;
    }
    var end = finishedAt != null ? finishedAt : now;
    var seconds = Duration.between(submittedAt, end).toNanos() / 1e9;
    return jobProvisioningData.price() * seconds / 3600;
  }

  /** A service probe's state: how many times in a row it has succeeded. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Probe(int successStreak) {}

  /**
   * One offer tried for the submission (ours; see {@link ProvisioningAttempt}).
   *
   * @param offer the offer, e.g. {@code remote/host (2 of 4 blocks) $0.0}
   * @param succeeded whether the job's container was started there
   * @param reason what happened: why it failed, or where it runs
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Attempt(
      int attempt,
      String offer,
      @JsonSerialize(using = Timestamps.Serializer.class)
          @JsonDeserialize(using = Timestamps.Deserializer.class)
          Instant startedAt,
      @JsonSerialize(using = Timestamps.Serializer.class)
          @JsonDeserialize(using = Timestamps.Deserializer.class)
          Instant finishedAt,
      boolean succeeded,
      String reason) {

    static Attempt of(ProvisioningAttempt attempt) {
      return new Attempt(
          attempt.attempt(),
          attempt.offer() == null ? null : attempt.offer().describe(),
          attempt.startedAt(),
          attempt.finishedAt(),
          attempt.succeeded(),
          attempt.reason());
    }
  }
}
