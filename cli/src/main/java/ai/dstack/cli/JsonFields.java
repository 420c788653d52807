package ai.dstack.cli;

import ai.dstack.sdk.api.WireJson;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * Fields of the wire's JSON as the tables read them (volumes, gateways and fleet specs come as
 * trees): a missing or null field reads as empty, not as {@code "null"}.
 */
final class JsonFields {
  private JsonFields() {}

  /** The field's text; empty when it is missing or null. */
  static String text(JsonNode node) {
    return node.isMissingNode() || node.isNull() ? "" : node.asText();
  }

  /** A datetime of the wire, or null when there is none or it cannot be read. */
  static Instant instant(JsonNode node) {
    if (node.isMissingNode() || node.isNull()) {
      return null;
    }
    try {
      return WireJson.MAPPER.treeToValue(node, Instant.class);
    } catch (com.fasterxml.jackson.core.JsonProcessingException | RuntimeException e) {
      return null;
    }
  }
}
