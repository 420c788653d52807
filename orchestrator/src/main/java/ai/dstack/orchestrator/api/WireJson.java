package ai.dstack.orchestrator.api;

import ai.dstack.core.json.Json;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * Answers made of core's wire records ({@code Run}, {@code Fleet}, {@code Instance}, ...), written
 * by core's own mapper, whose annotations (datetimes as dstack writes them, the spec kept verbatim)
 * the server's mapper does not read. Written straight to UTF-8 bytes: a page of runs is half a
 * megabyte, and going through a String first tripled what the answer allocated.
 */
public final class WireJson {
  private WireJson() {}

  /** 200 with {@code value} as JSON ({@code null} for null). */
  public static ResponseEntity<byte[]> ok(Object value) {
    return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(Json.writeBytes(value));
  }
}
