package ai.dstack.orchestrator.runs;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How the server samples and keeps running jobs' resource use ({@code dstack metrics}).
 *
 * @param metricsCollectInterval {@code DSTACK_SERVER_METRICS_COLLECT_INTERVAL}: how often a running
 *     job is sampled (default 10 s, dstack's pace)
 * @param metricsRunningTtlSeconds {@code DSTACK_SERVER_METRICS_RUNNING_TTL_SECONDS}: how long a
 *     running job's samples are kept (default an hour, as dstack's)
 * @param metricsFinishedTtlSeconds {@code DSTACK_SERVER_METRICS_FINISHED_TTL_SECONDS}: how long a
 *     finished job's samples are kept (default 7 days, as dstack's)
 */
@ConfigurationProperties("dstack.server")
record JobMetricsSettings(
    Duration metricsCollectInterval,
    long metricsRunningTtlSeconds,
    long metricsFinishedTtlSeconds) {

  JobMetricsSettings {
    if (metricsCollectInterval == null
        || metricsCollectInterval.isZero()
        || metricsCollectInterval.isNegative()) {
      metricsCollectInterval = Duration.ofSeconds(10);
    }
  }
}
