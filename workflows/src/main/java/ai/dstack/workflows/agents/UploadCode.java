package ai.dstack.workflows.agents;

/**
 * Upload the job's code and files.
 *
 * @param target the runner
 */
public record UploadCode(RunnerTarget target) {}
