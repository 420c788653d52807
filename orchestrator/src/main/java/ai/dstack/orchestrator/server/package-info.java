/**
 * The server as a whole: its settings and state directory, {@code /api/server}, health, and what
 * start-up prints.
 */
package ai.dstack.orchestrator.server;
