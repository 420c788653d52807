package ai.dstack.core.runs.wire;

import ai.dstack.core.runs.JobStatus;
import ai.dstack.core.runs.JobTerminationReason;
import ai.dstack.core.runs.RetryEvent;
import ai.dstack.core.runs.RunStatus;
import ai.dstack.core.runs.RunTerminationReason;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A run as {@code runs/apply}, {@code runs/get} and {@code runs/list} return it, dstack's {@code
 * Run}. Use {@link #of} to derive what dstack's server derives (status message, latest submission,
 * cost, error).
 *
 * @param id a version 4 UUID
 * @param user the submitting user's name
 * @param fleet the fleet the run runs in, or null
 * @param statusMessage what the CLI shows as the status, never null
 * @param terminationReason why the run ended or is ending, or null
 * @param runSpec the stored spec, with the server's defaults and a run name
 * @param jobs the jobs, by replica then job number
 * @param latestJobSubmission the latest submission of the first job, or null
 * @param cost dollars spent so far, never null
 * @param service where a service is served, or null
 * @param deploymentNum incremented by each in-place update
 * @param error the error the CLI shows for the termination reason, or null
 * @param deleted whether the run was deleted (runs/get by id returns deleted runs)
 * @param nextTriggeredAt when a scheduled run next starts, or null
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Run(
    UUID id,
    String projectName,
    String user,
    RunFleet fleet,
    @JsonSerialize(using = Timestamps.Serializer.class)
        @JsonDeserialize(using = Timestamps.Deserializer.class)
        Instant submittedAt,
    @JsonSerialize(using = Timestamps.Serializer.class)
        @JsonDeserialize(using = Timestamps.Deserializer.class)
        Instant lastProcessedAt,
    RunStatus status,
    String statusMessage,
    RunTerminationReason terminationReason,
    RunSpec runSpec,
    List<Job> jobs,
    JobSubmission latestJobSubmission,
    double cost,
    ServiceSpec service,
    int deploymentNum,
    String error,
    Boolean deleted,
    @JsonSerialize(using = Timestamps.Serializer.class)
        @JsonDeserialize(using = Timestamps.Deserializer.class)
        Instant nextTriggeredAt) {

  public Run {
    WireValues.uuid4("run id", id);
    if (projectName == null
        || user == null
        || submittedAt == null
        || lastProcessedAt == null
        || status == null
        || runSpec == null) {
      throw new IllegalArgumentException(
          "a run needs project_name, user, submitted_at, last_processed_at, status and run_spec");
    }
    if (runSpec.runName() == null) {
      throw new IllegalArgumentException("a run's spec has a run name");
    }
    statusMessage = statusMessage == null ? status.value() : statusMessage;
    jobs = jobs == null ? List.of() : List.copyOf(jobs);
  }

  /** The fleet a run runs in; the id is a version 4 UUID. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record RunFleet(UUID id, String name) {
    public RunFleet {
      WireValues.uuid4("fleet id", id);
    }
  }

  /**
   * A run with what dstack's server derives for it ({@code run_model_to_run}): the latest
   * submission of the first job, the cost of every submission listed (to {@code now} for those not
   * finished, rounded to 4 places), the status message ({@code pulling} while every job pulls,
   * {@code retrying} while a submitted or pending run waits after a no-capacity failure its retry
   * covers, else the status), the error of the termination reason, and no next trigger for a
   * finished run.
   */
  public static Run of(
      UUID id,
      String projectName,
      String user,
      RunFleet fleet,
      Instant submittedAt,
      Instant lastProcessedAt,
      RunStatus status,
      RunTerminationReason terminationReason,
      RunSpec runSpec,
      List<Job> jobs,
      ServiceSpec service,
      int deploymentNum,
      boolean deleted,
      Instant nextTriggeredAt,
      Instant now) {
    var latest = jobs.isEmpty() ? null : jobs.getFirst().latestSubmission();
    var cost =
        jobs.stream().flatMap(j -> j.jobSubmissions().stream()).mapToDouble(s -> s.cost(now)).sum();
    return new Run(
        id,
        projectName,
        user,
        fleet,
        submittedAt,
        lastProcessedAt,
        status,
        statusMessage(status, jobs),
        terminationReason,
        runSpec,
        jobs,
        latest,
        BigDecimal.valueOf(cost).setScale(4, RoundingMode.HALF_EVEN).doubleValue(),
        service,
        deploymentNum,
        terminationReason == null ? null : terminationReason.toError(),
        deleted,
        status.isFinished() ? null : nextTriggeredAt);
  }

  /**
   * How the status message of a job submission waiting in its fleet's queue begins ({@code queued
   * (position N)}): ours, dstack has no queue.
   */
  public static final String QUEUED = "queued";

  /** dstack's {@code _get_run_status_message}, from the jobs' submissions as listed. */
  static String statusMessage(RunStatus status, List<Job> jobs) {
    var latest = jobs.stream().map(Job::latestSubmission).toList();
    if (latest.isEmpty() || latest.contains(null)) {
      return status.value();
    }
    // Ours: a run whose job waits in its fleet's queue says so, with the job's place in it.
    if (status == RunStatus.SUBMITTED
        && latest.getFirst().status() == JobStatus.SUBMITTED
        && latest.getFirst().statusMessage().startsWith(QUEUED)) {
      return latest.getFirst().statusMessage();
    }
    var allPulling = latest.stream().allMatch(s -> s.status() == JobStatus.PULLING);
    var retrying = false;
    if (status == RunStatus.SUBMITTED || status == RunStatus.PENDING) {
      for (var job : jobs) {
        var retry = job.jobSpec().retry();
        var covers = retry != null && retry.onEvents().contains(RetryEvent.NO_CAPACITY);
        if (covers
            && lastTerminationReason(job)
                == JobTerminationReason.FAILED_TO_START_DUE_TO_NO_CAPACITY) {
          retrying = true;
        }
      }
    }
    return status.statusMessage(allPulling, retrying);
  }

  private static JobTerminationReason lastTerminationReason(Job job) {
    var submissions = job.jobSubmissions();
    for (int i = submissions.size() - 1; i >= 0; i--) {
      if (submissions.get(i).terminationReason() != null) {
        return submissions.get(i).terminationReason();
      }
    }
    return null;
  }
}
