/**
 * Runs and jobs as dstack sees them: their statuses and termination reasons (dstack 0.22.5's JSON
 * values), the rule that derives a run's status from its jobs', the retry policy and its backoff,
 * and the small records the workflows pass around (job spec summaries, offers, provisioning
 * attempts).
 *
 * <p>Depends on Jackson annotations and {@link ai.dstack.core.profiles} only.
 */
package ai.dstack.core.runs;
