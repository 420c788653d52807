/**
 * The dstack command line (Picocli).
 *
 * <p>Depends on client-sdk and core; never on the orchestrator.
 */
package ai.dstack.cli;
