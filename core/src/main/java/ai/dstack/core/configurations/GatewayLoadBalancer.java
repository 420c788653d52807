package ai.dstack.core.configurations;

import ai.dstack.core.profiles.NullValues;
import ai.dstack.core.yaml.Field;
import ai.dstack.core.yaml.ObjectSpec;
import ai.dstack.core.yaml.Readers;
import ai.dstack.core.yaml.ValueReader;

/**
 * The load balancer in front of a gateway. Only {@code alb} (an application load balancer, on aws
 * and gcp) exists.
 */
public record GatewayLoadBalancer(String type) {

  private static final Field<String> TYPE =
      Field.required("type", Readers.oneOf("alb"), "The load balancer type: alb");

  /** {@code {type: alb}}. */
  public static final ValueReader<GatewayLoadBalancer> READER =
      ObjectSpec.of("a load balancer", TYPE)
          .reader(
              v -> {
                NullValues.rejectNull(v, TYPE);
                return v.has(TYPE) ? new GatewayLoadBalancer(v.get(TYPE)) : null;
              });
}
