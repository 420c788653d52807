package ai.dstack.workflows.agents;

/**
 * The code and files are on the runner.
 *
 * @param bytes how many bytes were uploaded
 * @param archives how many file archives
 */
public record CodeUploaded(long bytes, int archives) {}
