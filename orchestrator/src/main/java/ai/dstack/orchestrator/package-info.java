/**
 * The server: dstack's HTTP API, security, persistence, Temporal client and worker hosting,
 * supervision of the embedded Temporal dev server.
 *
 * <p>Depends on activities, workflows and core.
 */
package ai.dstack.orchestrator;
