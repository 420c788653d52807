/** Offers: where a job could run, found by an activity in the fleet's instances and backends. */
package ai.dstack.workflows.offers;
