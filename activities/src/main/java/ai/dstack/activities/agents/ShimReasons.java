package ai.dstack.activities.agents;

import ai.dstack.core.agents.shim.TaskInfoResponse;
import ai.dstack.core.runs.JobTerminationReason;
import ai.dstack.workflows.agents.TaskTarget;
import java.util.Locale;

/** Why a job ended, as far as its shim task tells, in dstack's terms. */
final class ShimReasons {
  /** dstack's message for an instance its agents stopped answering on. */
  static final String UNREACHABLE_MESSAGE = "Instance is unreachable";

  private ShimReasons() {}

  /**
   * The job's termination reason for the one the shim recorded on a terminated task, as dstack's
   * server parses it; {@code fallback} when the shim recorded none, one dstack does not know, or
   * {@code done_by_runner}: the runner exited by itself, which does not say how the job ended.
   */
  static JobTerminationReason of(TaskInfoResponse task, JobTerminationReason fallback) {
    String reason = task.terminationReason().toLowerCase(Locale.ROOT);
    if (reason.isEmpty() || reason.equals(JobTerminationReason.DONE_BY_RUNNER.value())) {
      return fallback;
    }
    try {
      return JobTerminationReason.of(reason);
    } catch (IllegalArgumentException e) {
      return fallback;
    }
  }

  /** The shim's termination message, or null when it gave none. */
  static String message(TaskInfoResponse task) {
    return task.terminationMessage().isBlank() ? null : task.terminationMessage();
  }

  /**
   * What dstack's server ends a job with when its instance stops answering: interrupted by no
   * capacity on a spot instance (it was most likely reclaimed), else instance unreachable.
   */
  static JobTerminationReason unreachable(TaskTarget task) {
    var resources = task.instance().resources();
    return resources != null && resources.spot()
        ? JobTerminationReason.INTERRUPTED_BY_NO_CAPACITY
        : JobTerminationReason.INSTANCE_UNREACHABLE;
  }
}
