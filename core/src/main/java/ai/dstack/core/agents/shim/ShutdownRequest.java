package ai.dstack.core.agents.shim;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * POST /api/shutdown: stop serving and exit. Tasks keep running (their containers outlive the
 * shim); {@code force} closes open connections at once instead of letting them finish.
 *
 * @param force dstack's field
 * @param terminateTasks ours (dstack's shim has none; absent is false): first refuse new tasks and
 *     terminate every task, so that the shim leaves nothing running, not even a task submitted a
 *     moment before
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ShutdownRequest(boolean force, boolean terminateTasks) {

  /** dstack's request: the tasks keep running. */
  public ShutdownRequest(boolean force) {
    this(force, false);
  }
}
