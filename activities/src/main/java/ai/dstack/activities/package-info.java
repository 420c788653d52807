/**
 * Activity implementations: backends, offers, provisioning, shim and runner clients, log store,
 * projections.
 *
 * <p>Depends on workflows and core; never on the orchestrator.
 */
package ai.dstack.activities;
