package ai.dstack.workflows.agents;

/**
 * The runner took the job.
 *
 * @param workingDir the working directory the runner resolved, or null if it does not say
 */
public record JobSubmitted(String workingDir) {}
