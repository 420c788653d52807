/**
 * What every endpoint of dstack's HTTP API shares: the {@code X-API-VERSION} check, and dstack's
 * error bodies for every failure (one {@code @RestControllerAdvice}).
 */
package ai.dstack.orchestrator.api;
