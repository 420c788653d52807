package ai.dstack.core.configurations;

import ai.dstack.core.yaml.ValueReader;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * Where a gateway's TLS certificate comes from, chosen by {@code type}: Let's Encrypt (the
 * default), AWS Certificate Manager, or Google Cloud Certificate Manager.
 */
public sealed interface GatewayCertificate {

  /** {@code lets-encrypt}, {@code acm} or {@code gcp-cm}. */
  @JsonProperty("type")
  String type();

  /** Certificates issued automatically by Let's Encrypt. */
  record LetsEncrypt() implements GatewayCertificate {
    @Override
    public String type() {
      return "lets-encrypt";
    }
  }

  /** A wildcard certificate from AWS Certificate Manager; implies an application load balancer. */
  @JsonPropertyOrder({"type", "arn"})
  record Acm(String arn) implements GatewayCertificate {
    @Override
    public String type() {
      return "acm";
    }
  }

  /**
   * A certificate from Google Cloud Certificate Manager, by its full resource name; needs an
   * application load balancer.
   */
  @JsonPropertyOrder({"type", "name"})
  record GcpCertificateManager(String name) implements GatewayCertificate {
    @Override
    public String type() {
      return "gcp-cm";
    }
  }

  /** What a gateway gets when it names no certificate. */
  GatewayCertificate DEFAULT = new LetsEncrypt();

  /** {@code {type: lets-encrypt}}, {@code {type: acm, arn}} or {@code {type: gcp-cm, name}}. */
  ValueReader<GatewayCertificate> READER = GatewayCertificateReader.READER;
}
