/**
 * The runner's HTTP API: the records both ends speak (the runner inside the job container, and the
 * server's and the shim's clients), so the two ends cannot drift.
 *
 * <p>Paths and JSON field names are dstack 0.22.5's runner protocol ({@code
 * dstack/_internal/server/schemas/runner.py}); JSON goes through {@link ai.dstack.core.json.Json}
 * (snake_case). Records that dstack sends with more fields than the runner reads ignore the rest.
 * Depends on Jackson only.
 */
package ai.dstack.core.agents.runner;
