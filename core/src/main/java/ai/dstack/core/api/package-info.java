/**
 * The wire models of dstack's HTTP API as the dstack 0.22.5 client reads and writes them: field
 * names in snake_case (see {@link ai.dstack.core.json.Json}), enums by their dstack value, ids as
 * UUID v4. Shared by the server and the Java client, so the two ends cannot drift.
 */
package ai.dstack.core.api;
