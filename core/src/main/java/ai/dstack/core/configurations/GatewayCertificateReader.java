package ai.dstack.core.configurations;

import ai.dstack.core.profiles.NullValues;
import ai.dstack.core.yaml.Field;
import ai.dstack.core.yaml.FieldPath;
import ai.dstack.core.yaml.Node;
import ai.dstack.core.yaml.ObjectSpec;
import ai.dstack.core.yaml.Problems;
import ai.dstack.core.yaml.Readers;
import ai.dstack.core.yaml.ValueReader;
import java.util.List;
import java.util.Map;

/** Reads a gateway's {@code certificate}, picking the kind by its {@code type}. */
final class GatewayCertificateReader {
  private GatewayCertificateReader() {}

  private static final List<String> TYPES = List.of("lets-encrypt", "acm", "gcp-cm");

  private static final Field<String> LETS_ENCRYPT_TYPE =
      Field.required(
          "type", Readers.oneOf("lets-encrypt"), "Automatic certificates by Let's Encrypt");
  private static final Field<String> ACM_TYPE =
      Field.required(
          "type",
          Readers.oneOf("acm"),
          "Certificates by AWS Certificate Manager (ACM); implies `load_balancer: {type: alb}`");
  private static final Field<String> ARN =
      Field.required(
          "arn", Readers.STRING, "The ARN of the wildcard ACM certificate for the domain");
  private static final Field<String> GCP_CM_TYPE =
      Field.required(
          "type",
          Readers.oneOf("gcp-cm"),
          "Certificates by Google Cloud Certificate Manager; requires `load_balancer: {type:"
              + " alb}`");
  private static final Field<String> GCP_CM_NAME =
      Field.required(
          "name",
          Readers.STRING,
          "The full resource name of the certificate, e.g."
              + " projects/my-project/locations/europe-west9/certificates/my-certificate");
  private static final ObjectSpec LETS_ENCRYPT =
      ObjectSpec.of("a Let's Encrypt certificate", LETS_ENCRYPT_TYPE);
  private static final ObjectSpec ACM = ObjectSpec.of("an ACM certificate", ACM_TYPE, ARN);
  private static final ObjectSpec GCP_CM =
      ObjectSpec.of("a GCP Certificate Manager certificate", GCP_CM_TYPE, GCP_CM_NAME);

  static final ValueReader<GatewayCertificate> READER =
      ValueReader.of(
          Map.of("oneOf", List.of(LETS_ENCRYPT.schema(), ACM.schema(), GCP_CM.schema())),
          GatewayCertificateReader::read);

  private static GatewayCertificate read(Node node, FieldPath path, Problems problems) {
    if (!(node instanceof Node.Mapping mapping)) {
      return problems.add(
          node,
          path,
          "expected a certificate ({type: lets-encrypt}, {type: acm, arn: ...} or {type: gcp-cm,"
              + " name: ...}), got "
              + node.describe());
    }
    var typeEntry = mapping.get("type");
    if (typeEntry == null) {
      return problems.add(
          mapping, path.child("type"), "is required: one of " + String.join(", ", TYPES));
    }
    var type =
        Readers.oneOf(TYPES.toArray(String[]::new))
            .read(typeEntry.value(), path.child("type"), problems);
    if (type == null) {
      return null;
    }
    var before = problems.count();
    switch (type) {
      case "acm" -> {
        var v = ACM.read(node, path, problems);
        NullValues.rejectNull(v, ARN);
        return problems.count() == before ? new GatewayCertificate.Acm(v.get(ARN)) : null;
      }
      case "gcp-cm" -> {
        var v = GCP_CM.read(node, path, problems);
        NullValues.rejectNull(v, GCP_CM_NAME);
        return problems.count() == before
            ? new GatewayCertificate.GcpCertificateManager(v.get(GCP_CM_NAME))
            : null;
      }
      default -> {
        LETS_ENCRYPT.read(node, path, problems);
        return problems.count() == before ? GatewayCertificate.DEFAULT : null;
      }
    }
  }
}
