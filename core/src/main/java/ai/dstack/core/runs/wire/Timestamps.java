package ai.dstack.core.runs.wire;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * Datetimes on dstack's wire: written as the real server writes them, UTC with an explicit offset
 * and microseconds ({@code 2026-11-23T02:04:01.471605+00:00}, Python's {@code isoformat}); read
 * from that, from {@code Z}, from naive (UTC) times, or from epoch seconds.
 */
public final class Timestamps {
  private Timestamps() {}

  private static final DateTimeFormatter SECONDS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

  /**
   * Python's {@code datetime.isoformat()} of the instant in UTC. Written digit by digit: an answer
   * listing runs writes hundreds of them, and the formatter's way took a quarter of such a call.
   */
  public static String format(Instant instant) {
    var time = LocalDateTime.ofEpochSecond(instant.getEpochSecond(), 0, ZoneOffset.UTC);
    if (time.getYear() < 1 || time.getYear() > 9999) {
      return formatted(instant); // beyond Python's datetime; kept as the formatter writes it
    }
    var text = new StringBuilder(32);
    digits(text, time.getYear(), 4).append('-');
    digits(text, time.getMonthValue(), 2).append('-');
    digits(text, time.getDayOfMonth(), 2).append('T');
    digits(text, time.getHour(), 2).append(':');
    digits(text, time.getMinute(), 2).append(':');
    digits(text, time.getSecond(), 2);
    int micros = instant.getNano() / 1000;
    if (micros != 0) {
      digits(text.append('.'), micros, 6);
    }
    return text.append("+00:00").toString();
  }

  /** {@link #format} by {@code DateTimeFormatter}, as it was first written. */
  static String formatted(Instant instant) {
    var time = instant.truncatedTo(ChronoUnit.MICROS).atOffset(ZoneOffset.UTC);
    var text = new StringBuilder(SECONDS.format(time));
    var micros = time.getNano() / 1000;
    if (micros != 0) {
      text.append('.').append(String.format("%06d", micros));
    }
    return text.append("+00:00").toString();
  }

  private static StringBuilder digits(StringBuilder text, int value, int width) {
    var number = Integer.toString(value);
    for (int i = number.length(); i < width; i++) {
      text.append('0');
    }
    return text.append(number);
  }

  public static Instant parse(String text) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
    }
  }

  /** Writes an instant as {@link #format} does; for {@code @JsonSerialize(using = ...)}. */
  public static final class Serializer extends StdSerializer<Instant> {
    private static final long serialVersionUID = 1L;

    /** A serializer of instants. */
    public Serializer() {
      super(Instant.class);
    }

    @Override
    public void serialize(Instant value, JsonGenerator gen, SerializerProvider provider)
        throws IOException {
      gen.writeString(format(value));
    }
  }

  /**
   * Reads an instant as dstack's models accept it: ISO-8601 with an offset, naive (UTC), or epoch
   * seconds; for {@code @JsonDeserialize(using = ...)}.
   */
  public static final class Deserializer extends StdDeserializer<Instant> {
    private static final long serialVersionUID = 1L;

    /** A deserializer of instants. */
    public Deserializer() {
      super(Instant.class);
    }

    @Override
    public Instant deserialize(JsonParser parser, DeserializationContext context)
        throws IOException {
      if (parser.currentToken() == JsonToken.VALUE_NUMBER_INT
          || parser.currentToken() == JsonToken.VALUE_NUMBER_FLOAT) {
        var seconds = parser.getDecimalValue();
        return Instant.ofEpochSecond(0, seconds.movePointRight(9).longValue());
      }
      try {
        return parse(parser.getValueAsString());
      } catch (DateTimeParseException e) {
        return (Instant)
            context.handleWeirdStringValue(Instant.class, parser.getText(), e.getMessage());
      }
    }
  }
}
