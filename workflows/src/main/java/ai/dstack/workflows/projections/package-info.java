/**
 * Projections: the activities through which workflows write what the HTTP API lists (runs, job
 * submissions, fleets) to the server's database. Each record carries a sequence number that grows
 * with each write of its workflow, so a write retried late never overwrites a newer one.
 */
package ai.dstack.workflows.projections;
