/**
 * The agent on a host (dstack's shim): runs job containers through Docker, or plain processes where
 * there is no Docker engine, each running the runner; reports host and GPU info. {@link
 * ai.dstack.shim.ShimMain} starts it; the HTTP API is in {@code api}, the task life in {@code
 * tasks}, its engines in {@code docker} and {@code process}, host and GPU info in {@code host}.
 *
 * <p>Depends on core only (and docker-java); no Spring, no Temporal.
 */
package ai.dstack.shim;
