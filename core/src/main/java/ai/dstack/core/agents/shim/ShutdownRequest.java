package ai.dstack.core.agents.shim;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * POST /api/shutdown: stop serving and exit. Tasks keep running (their containers outlive the
 * shim); {@code force} closes open connections at once instead of letting them finish.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ShutdownRequest(boolean force) {}
