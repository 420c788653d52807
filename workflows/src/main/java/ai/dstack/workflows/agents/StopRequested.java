package ai.dstack.workflows.agents;

/**
 * The runner was asked to stop the job.
 *
 * @param alreadyFinished true when the job had ended already
 */
public record StopRequested(boolean alreadyFinished) {}
