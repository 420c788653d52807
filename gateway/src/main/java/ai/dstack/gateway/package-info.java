/**
 * Reverse proxy for services: auth, rate limits, request stats for autoscaling, OpenAI-compatible
 * model routing.
 *
 * <p>Depends on core only.
 */
package ai.dstack.gateway;
