/**
 * {@code /api/events/list}: what happened to projects, runs, jobs, fleets, instances, secrets and
 * users, newest first, as dstack 0.22.5 records and lists it.
 */
package ai.dstack.core.api.events;
