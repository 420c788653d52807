package ai.dstack.core.configurations;

import ai.dstack.core.profiles.NullValues;
import ai.dstack.core.profiles.ProfileParams;
import ai.dstack.core.yaml.Field;
import ai.dstack.core.yaml.ObjectSpec;
import ai.dstack.core.yaml.Readers;
import ai.dstack.core.yaml.ValueReader;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.Map;

/**
 * A gateway ({@code type: gateway}): the instance (or load balancer) that serves a project's
 * services under a wildcard domain, with TLS.
 *
 * @param name the gateway name (generated when null)
 * @param isDefault whether it is the project's default gateway; null: it becomes the default when
 *     created if there is none, and keeps its status when updated
 * @param backend the backend it runs in
 * @param region the region it runs in
 * @param instanceType the backend's instance type; null for the backend's default (a small CPU one)
 * @param domain the wildcard domain; services are served at {@code <run name>.<domain>}
 * @param publicIp whether the gateway gets a public IP (default true)
 * @param loadBalancer the load balancer in front of it, or null for none
 * @param certificate where its certificate comes from; null for none (default Let's Encrypt)
 * @param replicas the number of gateway instances; null for dstack's default (1)
 * @param tags tags for the gateway and its backend resources
 */
@JsonPropertyOrder({"type"})
public record GatewayConfiguration(
    String name,
    @JsonProperty("default") Boolean isDefault,
    String backend,
    String region,
    String instanceType,
    String domain,
    boolean publicIp,
    GatewayLoadBalancer loadBalancer,
    GatewayCertificate certificate,
    Long replicas,
    Map<String, String> tags)
    implements Configuration {

  @JsonProperty("type")
  @Override
  public String type() {
    return "gateway";
  }

  private static final Field<String> TYPE =
      Field.required("type", Readers.oneOf("gateway"), "The configuration type: gateway");
  private static final Field<String> NAME = Field.of("name", Readers.STRING, "The gateway name");
  private static final Field<Boolean> DEFAULT =
      Field.of(
          "default",
          Readers.BOOLEAN,
          "Whether the gateway is the project's default (can be updated in place; when unset, a"
              + " new gateway becomes the default if there is none)");
  private static final Field<String> BACKEND =
      Field.required(
          "backend",
          Readers.oneOf(ProfileParams.BACKEND_TYPES.toArray(String[]::new)),
          "The backend to run the gateway in (e.g. aws)");
  private static final Field<String> REGION =
      Field.required("region", Readers.STRING, "The region to run the gateway in");
  private static final Field<String> INSTANCE_TYPE =
      Field.of(
          "instance_type",
          ValueReader.of(
              Map.of("type", "string", "minLength", 1),
              (node, path, problems) -> {
                var text = Readers.STRING.read(node, path, problems);
                if (text != null && text.isEmpty()) {
                  return problems.add(
                      node,
                      path,
                      "cannot be empty; name an instance type, or leave it out for the backend's"
                          + " default");
                }
                return text;
              }),
          "The backend's instance type for the gateway (default: a small CPU instance)");
  private static final Field<String> DOMAIN =
      Field.of(
          "domain",
          Readers.STRING,
          "The wildcard domain, e.g. example.com; services get <run name>.<domain> (may use"
              + " ${{ run.project_name }})");
  private static final Field<Boolean> PUBLIC_IP =
      Field.of(
          "public_ip", Readers.BOOLEAN, "Whether to give the gateway a public IP (default true)");
  private static final Field<GatewayLoadBalancer> LOAD_BALANCER =
      Field.of(
          "load_balancer",
          GatewayLoadBalancer.READER,
          "A load balancer in front of the gateway: {type: alb} (aws and gcp)");
  private static final Field<GatewayCertificate> CERTIFICATE =
      Field.of(
          "certificate",
          GatewayCertificate.READER,
          "The TLS certificate: {type: lets-encrypt} (the default), {type: acm, arn} or {type:"
              + " gcp-cm, name}; null for none");
  private static final Field<Long> REPLICAS =
      Field.of(
          "replicas", Readers.integerAtLeast(1), "The number of gateway instances (default 1)");
  private static final Field<Map<String, String>> TAGS =
      Field.of(
          "tags",
          ProfileParams.TAG_MAPPING,
          "Tags for the gateway, also set on its backend resources (key: value)");

  private static final ObjectSpec SPEC =
      ObjectSpec.of(
          "a gateway configuration",
          TYPE,
          NAME,
          DEFAULT,
          BACKEND,
          REGION,
          INSTANCE_TYPE,
          DOMAIN,
          PUBLIC_IP,
          LOAD_BALANCER,
          CERTIFICATE,
          REPLICAS,
          TAGS);

  /** Reads {@code type: gateway} configurations. */
  public static final ValueReader<GatewayConfiguration> READER =
      SPEC.reader(
          v -> {
            NullValues.rejectNull(v, BACKEND, REGION, PUBLIC_IP);
            if (!v.has(BACKEND) || !v.has(REGION)) {
              return null;
            }
            return new GatewayConfiguration(
                v.get(NAME),
                v.get(DEFAULT),
                v.get(BACKEND),
                v.get(REGION),
                v.get(INSTANCE_TYPE),
                v.get(DOMAIN),
                v.get(PUBLIC_IP, true),
                v.get(LOAD_BALANCER),
                certificate(v.isWritten(CERTIFICATE), v.get(CERTIFICATE)),
                v.get(REPLICAS),
                v.get(TAGS));
          });

  // `certificate: null` turns certificates off; leaving the field out means Let's Encrypt.
  private static GatewayCertificate certificate(boolean written, GatewayCertificate read) {
    return written ? read : GatewayCertificate.DEFAULT;
  }
}
