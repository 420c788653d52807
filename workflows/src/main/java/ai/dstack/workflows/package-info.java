/**
 * Temporal workflow interfaces and implementations, and the activity interfaces they call.
 *
 * <p>Depends on core only; deterministic code (no I/O, clocks, randomness or threads outside
 * Workflow APIs).
 */
package ai.dstack.workflows;
