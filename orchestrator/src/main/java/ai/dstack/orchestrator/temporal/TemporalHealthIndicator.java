package ai.dstack.orchestrator.temporal;

import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.temporal.serviceclient.WorkflowServiceStubs;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/** Whether Temporal answers its health check: part of readiness, as no run advances without it. */
class TemporalHealthIndicator implements HealthIndicator {

  private final WorkflowServiceStubs stubs;
  private final TemporalEndpoint endpoint;

  TemporalHealthIndicator(WorkflowServiceStubs stubs, TemporalEndpoint endpoint) {
    this.stubs = stubs;
    this.endpoint = endpoint;
  }

  @Override
  public Health health() {
    Health.Builder health;
    try {
      health =
          stubs.healthCheck().getStatus() == ServingStatus.SERVING ? Health.up() : Health.down();
    } catch (RuntimeException e) {
      health = Health.down().withDetail("error", e.getMessage());
    }
    return health
        .withDetail("target", endpoint.target())
        .withDetail("namespace", endpoint.namespace())
        .build();
  }
}
