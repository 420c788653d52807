/**
 * The server ({@link ai.dstack.orchestrator.DstackServer}, {@code ./dstack server}): dstack's HTTP
 * API, security, persistence, Temporal client and worker hosting, supervision of the embedded
 * Temporal dev server. By feature: {@code server} (settings, start-up, health), {@code api} (the
 * version gate and error bodies), {@code auth}, {@code users}, {@code projects}, {@code fleets}
 * (the local fleet; the fleets, instances, volumes and gateways API), {@code persistence}, {@code
 * temporal}.
 *
 * <p>Depends on activities, workflows and core.
 */
package ai.dstack.orchestrator;
