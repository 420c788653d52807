/**
 * Job metrics: samples of a running job's CPU, memory and GPU use, as its runner reports them,
 * taken by the follow activity and kept by a {@link ai.dstack.activities.metrics.JobMetricsStore}
 * (the server's database) for dstack's {@code metrics/job} endpoint.
 *
 * <p>Depends on core only.
 */
package ai.dstack.activities.metrics;
