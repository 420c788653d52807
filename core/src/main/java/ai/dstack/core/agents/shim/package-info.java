/**
 * The shim's HTTP API (dstack's shim API v2, "tasks"): the request and response records that the
 * shim serves and the server's shim client reads, so the two ends cannot drift.
 *
 * <p>JSON through {@link ai.dstack.core.json.Json#MAPPER} (snake_case, as dstack writes). Every
 * record ignores fields it does not know, so a newer peer stays readable.
 */
package ai.dstack.core.agents.shim;
