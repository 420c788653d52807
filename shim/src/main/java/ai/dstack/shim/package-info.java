/**
 * The agent on a host: runs job containers (Docker) or plain processes; reports host and GPU info.
 *
 * <p>Depends on core only; no Spring, no Temporal.
 */
package ai.dstack.shim;
