/**
 * Temporal: the dev server the server starts and supervises (or the cluster {@code
 * DSTACK_TEMPORAL_ADDRESS} names), the client, and the workers on task queue {@code dstack}.
 */
package ai.dstack.orchestrator.temporal;
