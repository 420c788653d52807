package ai.dstack.orchestrator.runs;

import ai.dstack.activities.agents.AgentTimings;
import ai.dstack.activities.agents.LogActivitiesImpl;
import ai.dstack.activities.agents.RunnerActivitiesImpl;
import ai.dstack.activities.agents.ShimActivitiesImpl;
import ai.dstack.activities.agents.ShimAddresses;
import ai.dstack.activities.logs.FileLogStore;
import ai.dstack.activities.logs.LogStore;
import ai.dstack.activities.offers.FleetInstancesSource;
import ai.dstack.activities.offers.OfferActivitiesImpl;
import ai.dstack.core.runs.wire.JobSpecs;
import ai.dstack.orchestrator.server.ServerSettings;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The runs' parts: job specs with the local default image, the log store under the server dir, and
 * the agents' activities (hosted by the Temporal worker, which takes every activity bean).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(JobMetricsSettings.class)
class RunsConfig {

  /**
   * Job specs: configurations that name no image get {@code DSTACK_BASE_IMAGE} (default {@code
   * dstack-base:local}), the image the project's setup builds from Debian's packages ({@code
   * docker/build-base-image.sh}).
   */
  @Bean
  JobSpecs.Settings jobSpecSettings(
      @Value("${DSTACK_BASE_IMAGE:dstack-base:local}") String defaultImage) {
    // The image built from Debian's packages has Debian's Python, and no uv or sudo.
    return JobSpecs.Settings.of(defaultImage).withoutPythonSetup();
  }

  /** Job and runner logs: files under {@code <server dir>/logs}. */
  @Bean
  LogStore logStore(ServerSettings server) {
    return new FileLogStore(server.dir().resolve("logs"));
  }

  /** Kills and removals go where the task's shim listens now (it may have restarted). */
  @Bean
  ShimActivitiesImpl shimActivities(RunJobs jobs, ShimAddresses addresses) {
    return new ShimActivitiesImpl(jobs, AgentTimings.DEFAULTS, addresses);
  }

  @Bean
  RunnerActivitiesImpl runnerActivities(RunJobs jobs) {
    return new RunnerActivitiesImpl(jobs);
  }

  /** Offers on the fleets' instances, for the job workflows and for plans. */
  @Bean
  OfferActivitiesImpl offerActivities(RunJobs jobs, FleetInstancesSource fleets) {
    return new OfferActivitiesImpl(jobs, fleets);
  }

  /** Follows jobs' logs, and samples their resource use into {@link JobMetricsPoints}. */
  @Bean
  LogActivitiesImpl logActivities(
      LogStore logs, JobMetricsPoints metrics, JobMetricsSettings settings) {
    return new LogActivitiesImpl(
        logs, AgentTimings.DEFAULTS, metrics, settings.metricsCollectInterval());
  }
}
