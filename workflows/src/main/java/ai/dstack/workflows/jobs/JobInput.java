package ai.dstack.workflows.jobs;

import ai.dstack.core.runs.JobSpecSummary;
import ai.dstack.core.runs.JobSubmissionRef;
import java.time.Instant;

/**
 * One submission of one job.
 *
 * @param job the submission's ids
 * @param spec what the workflow needs of the job's spec
 * @param runWorkflowId the run workflow to report to, or null when started alone
 * @param user the user who submitted the run
 * @param fleetName the fleet the run is placed on
 * @param fleetWorkflowId that fleet's workflow
 * @param priority the run's priority (0 to 100)
 * @param runSubmittedAt when the run was submitted: its place in the fleet's queue
 */
public record JobInput(
    JobSubmissionRef job,
    JobSpecSummary spec,
    String runWorkflowId,
    String user,
    String fleetName,
    String fleetWorkflowId,
    int priority,
    Instant runSubmittedAt) {}
