/**
 * The Java SDK: {@link ai.dstack.sdk.Dstack} for programs and batch pipelines (apply a {@code
 * .dstack.yml}, follow the {@link ai.dstack.sdk.Run}'s logs, await it, stop it; runs, fleets,
 * offers and secrets), configured as dstack's CLI is ({@link ai.dstack.sdk.DstackConfig}); and
 * {@link ai.dstack.sdk.api}, the low level, one method per endpoint of the server.
 *
 * <p>Depends on core only (the request and response records, the configuration parser); never on
 * the orchestrator.
 */
package ai.dstack.sdk;
