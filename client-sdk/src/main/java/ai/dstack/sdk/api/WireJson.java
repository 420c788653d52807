package ai.dstack.sdk.api;

import ai.dstack.core.json.Json;
import ai.dstack.core.runs.wire.Timestamps;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.time.Instant;

/**
 * core's wire mapping ({@link Json#MAPPER}: snake_case), read leniently as dstack's client reads
 * (fields it does not know are ignored, so a newer server does not break it), with dstack's
 * datetimes wherever an {@link Instant} is. Public for tools that print the server's answers as
 * JSON, as dstack's CLI does with {@code --json}.
 */
public final class WireJson {
  private WireJson() {}

  /** The mapper the SDK reads and writes the wire with. */
  public static final ObjectMapper MAPPER =
      Json.MAPPER
          .copy()
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .registerModule(
              new SimpleModule("dstack-datetimes")
                  .addSerializer(Instant.class, new Timestamps.Serializer())
                  .addDeserializer(Instant.class, new Timestamps.Deserializer()));
}
