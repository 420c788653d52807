package ai.dstack.workflows.runs;

/**
 * Stop a run ({@code dstack stop}).
 *
 * @param abort {@code dstack stop -x}: kill the jobs at once instead of stopping them gracefully
 */
public record StopRun(boolean abort) {}
