/**
 * {@code GET /api/project/{p}/metrics/job/{run_name}}: a job's CPU, memory and GPU use over time,
 * as dstack 0.22.5 serves it.
 */
package ai.dstack.core.api.metrics;
