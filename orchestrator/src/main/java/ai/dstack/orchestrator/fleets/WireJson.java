package ai.dstack.orchestrator.fleets;

import ai.dstack.core.json.Json;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * Answers made of core's wire records ({@code Fleet}, {@code Instance}), written by core's own
 * mapper, whose annotations (datetimes as dstack writes them, the spec kept verbatim) the server's
 * mapper does not read.
 */
final class WireJson {
  private WireJson() {}

  static ResponseEntity<String> ok(Object value) {
    return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(Json.write(value));
  }
}
