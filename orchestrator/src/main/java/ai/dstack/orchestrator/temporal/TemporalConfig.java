package ai.dstack.orchestrator.temporal;

import ai.dstack.orchestrator.server.ServerSettings;
import com.uber.m3.tally.RootScopeBuilder;
import com.uber.m3.tally.Scope;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.reporter.MicrometerClientStatsReporter;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Temporal client and workers, against the dev server the server supervises or the cluster
 * {@code DSTACK_TEMPORAL_ADDRESS} names. The SDK's metrics go to the Prometheus registry.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TemporalSettings.class)
class TemporalConfig {

  @Bean
  TemporalEndpoint temporalEndpoint(
      TemporalSettings settings, ServerSettings server, ObjectProvider<TemporalDevServer> ahead) {
    if (settings.external()) {
      return TemporalEndpoint.external(settings.address(), settings.namespace());
    }
    // Started ahead of the context by DevServerAhead when the server runs from its main class.
    TemporalDevServer devServer =
        ahead.getIfAvailable(
            () -> TemporalDevServer.startOrAdopt(devServerOptions(settings, server)));
    return TemporalEndpoint.devServer(devServer, settings.namespace());
  }

  /** How the dev server runs: its state under the server dir, the ports the settings prefer. */
  static TemporalDevServer.Options devServerOptions(
      TemporalSettings settings, ServerSettings server) {
    return new TemporalDevServer.Options(
        server.dir().resolve("temporal"),
        settings.cli(),
        settings.port(),
        settings.ui().port(),
        settings.namespace(),
        settings.startTimeout());
  }

  @Bean(destroyMethod = "close")
  Scope temporalMetricsScope(MeterRegistry registry) {
    return new RootScopeBuilder()
        .reporter(new MicrometerClientStatsReporter(registry))
        .reportEvery(com.uber.m3.util.Duration.ofSeconds(10));
  }

  @Bean(destroyMethod = "shutdown")
  WorkflowServiceStubs workflowServiceStubs(
      TemporalEndpoint endpoint, TemporalSettings settings, Scope metrics) {
    var options =
        WorkflowServiceStubsOptions.newBuilder()
            .setTarget(endpoint.target())
            .setMetricsScope(metrics)
            .setRpcTimeout(Duration.ofSeconds(10))
            .setHealthCheckAttemptTimeout(Duration.ofSeconds(2));
    TemporalTls.apply(settings, options);
    return WorkflowServiceStubs.newServiceStubs(options.build());
  }

  @Bean
  WorkflowClient workflowClient(WorkflowServiceStubs stubs, TemporalEndpoint endpoint) {
    return WorkflowClient.newInstance(
        stubs, WorkflowClientOptions.newBuilder().setNamespace(endpoint.namespace()).build());
  }

  // Started and stopped by TemporalWorkers, once the endpoint answers. Its workers report to the
  // stubs' metrics scope: the activities' and workflow tasks' latencies reach the registry.
  @Bean(destroyMethod = "")
  WorkerFactory workerFactory(WorkflowClient client) {
    return WorkerFactory.newInstance(client);
  }

  @Bean
  TemporalWorkers temporalWorkers(
      WorkerFactory factory,
      TemporalEndpoint endpoint,
      TemporalSettings settings,
      WorkflowServiceStubs stubs,
      ApplicationContext context) {
    if (settings.external()) {
      SearchAttributeRegistration.ensure(stubs, endpoint.namespace());
    }
    return new TemporalWorkers(factory, endpoint, context);
  }

  @Bean
  TemporalHealthIndicator temporalHealthIndicator(
      WorkflowServiceStubs stubs, TemporalEndpoint endpoint) {
    return new TemporalHealthIndicator(stubs, endpoint);
  }
}
