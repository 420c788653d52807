/**
 * Events: what happened to projects, runs, jobs, fleets, instances and secrets, recorded in the
 * {@code events} table and listed by {@code POST /api/events/list} as dstack 0.22.5 lists them.
 *
 * <p>Other features record through {@link ai.dstack.orchestrator.events.Events}: the API in the
 * transaction of the request's change (a run submitted, a secret created), the projection
 * activities in the transaction that stores a workflow's status change. A user sees the events
 * about the projects they are a member of, and about themselves; a global admin sees all. Events
 * older than {@code DSTACK_SERVER_EVENTS_TTL_SECONDS} are deleted. Depends on {@code projects}
 * (membership) and {@code persistence}.
 */
package ai.dstack.orchestrator.events;
