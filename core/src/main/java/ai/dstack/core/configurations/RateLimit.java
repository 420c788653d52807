package ai.dstack.core.configurations;

import ai.dstack.core.profiles.NullValues;
import ai.dstack.core.yaml.Field;
import ai.dstack.core.yaml.FieldPath;
import ai.dstack.core.yaml.Node;
import ai.dstack.core.yaml.ObjectSpec;
import ai.dstack.core.yaml.Problems;
import ai.dstack.core.yaml.Readers;
import ai.dstack.core.yaml.ValueReader;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A rate limit of a service: at most {@code rps} requests per second (and {@code burst} ahead of
 * it) for requests under path {@code prefix}, counted per client IP address or per value of a
 * header.
 */
public record RateLimit(String prefix, Key key, double rps, long burst) {

  /** What requests are counted by: {@code ip_address}, or {@code header} with its name. */
  public record Key(String type, @JsonInclude(JsonInclude.Include.NON_NULL) String header) {
    public static final Key IP_ADDRESS = new Key("ip_address", null);
  }

  private static final long MAX_INT64 = Long.MAX_VALUE;
  private static final Pattern PREFIX = Pattern.compile("/[^\\s\\\\{}]*");
  private static final Pattern HEADER = Pattern.compile("[a-zA-Z0-9-_]+");

  private static final ValueReader<String> PREFIX_READER =
      ValueReader.of(
          Map.of("type", "string", "pattern", "^" + PREFIX.pattern() + "$", "maxLength", 4094),
          (node, path, problems) -> {
            var text = Readers.STRING.read(node, path, problems);
            if (text != null && (!PREFIX.matcher(text).matches() || text.length() > 4094)) {
              return problems.add(
                  node,
                  path,
                  "\""
                      + text
                      + "\" is not a path prefix; start it with / and use no spaces, \\, { or }");
            }
            return text;
          });

  private static final Field<String> KEY_TYPE =
      Field.required("type", Readers.oneOf("ip_address", "header"), "ip_address or header");
  private static final Field<String> KEY_HEADER =
      Field.of(
          "header",
          ValueReader.of(
              Map.of("type", "string", "pattern", "^" + HEADER.pattern() + "$", "maxLength", 500),
              (node, path, problems) -> {
                var text = Readers.STRING.read(node, path, problems);
                if (text != null && (!HEADER.matcher(text).matches() || text.length() > 500)) {
                  return problems.add(
                      node,
                      path,
                      "\"" + text + "\" is not a header name; use letters, digits, - and _");
                }
                return text;
              }),
          "The header whose value requests are counted by (with type: header)");
  private static final ObjectSpec IP_KEY = ObjectSpec.of("a rate limit key", KEY_TYPE);
  private static final ObjectSpec HEADER_KEY =
      ObjectSpec.of("a rate limit key", KEY_TYPE, KEY_HEADER);

  private static final ValueReader<Key> KEY_READER =
      ValueReader.of(
          Map.of("anyOf", List.of(IP_KEY.schema(), HEADER_KEY.schema())), RateLimit::readKey);

  private static Key readKey(Node node, FieldPath path, Problems problems) {
    if (!(node instanceof Node.Mapping mapping)) {
      return problems.add(
          node,
          path,
          "expected {type: ip_address} or {type: header, header: NAME}, got " + node.describe());
    }
    var type = mapping.get("type");
    if (type == null) {
      return problems.add(
          node, path.child("type"), "is required: ip_address, or header (with header: NAME)");
    }
    var isHeader = type.value() instanceof Node.Scalar s && "header".equals(s.text());
    var values = (isHeader ? HEADER_KEY : IP_KEY).read(node, path, problems);
    if (values == null || values.get(KEY_TYPE) == null) {
      return null;
    }
    if (!isHeader) {
      return Key.IP_ADDRESS;
    }
    if (!values.isWritten(KEY_HEADER)) {
      return values.problem(KEY_HEADER, "is required with type: header: name the header");
    }
    NullValues.rejectNull(values, KEY_HEADER);
    var header = values.get(KEY_HEADER);
    return header == null ? null : new Key("header", header);
  }

  private static final Field<String> PREFIX_FIELD =
      Field.of("prefix", PREFIX_READER, "The URL path prefix the limit applies to (default /)");
  private static final Field<Key> KEY =
      Field.of(
          "key",
          KEY_READER,
          "What requests are counted by: {type: ip_address} (the default) or {type: header,"
              + " header: NAME}");
  private static final Field<Double> RPS =
      Field.required(
          "rps",
          ValueReader.of(
              Map.of("type", "number", "minimum", 1.0 / 60, "maximum", MAX_INT64 / 60),
              (node, path, problems) -> {
                var rps = Readers.NUMBER.read(node, path, problems);
                if (rps != null && !(rps >= 1.0 / 60)) {
                  return problems.add(
                      node,
                      path,
                      "must be at least 1/60 (one request a minute), got " + node.describe());
                }
                if (rps != null && rps > MAX_INT64 / 60) {
                  return problems.add(node, path, "is too large, got " + node.describe());
                }
                return rps;
              }),
          "The most requests per second (at least 1/60, one a minute)");
  private static final Field<Long> BURST =
      Field.of(
          "burst",
          Readers.integer(0, MAX_INT64),
          "How many requests may pass ahead of the limit (default 0)");

  private static final ValueReader<RateLimit> ITEM =
      ObjectSpec.of("a rate limit", PREFIX_FIELD, KEY, RPS, BURST)
          .reader(
              values -> {
                NullValues.rejectNull(values, PREFIX_FIELD, KEY, RPS, BURST);
                var rps = values.get(RPS);
                return rps == null
                    ? null
                    : new RateLimit(
                        values.get(PREFIX_FIELD, "/"),
                        values.get(KEY, Key.IP_ADDRESS),
                        rps,
                        values.get(BURST, 0L));
              });

  /** The {@code rate_limits} list; prefixes must differ. */
  public static final ValueReader<List<RateLimit>> LIST =
      ValueReader.of(
          Readers.listOf(ITEM).schema(),
          (node, path, problems) -> {
            var limits = Readers.listOf(ITEM).read(node, path, problems);
            if (limits != null) {
              var seen = new HashSet<String>();
              for (var limit : limits) {
                if (!seen.add(limit.prefix())) {
                  return problems.add(
                      node,
                      path,
                      "prefix \""
                          + limit.prefix()
                          + "\" has two rate limits; give each prefix one");
                }
              }
            }
            return limits;
          });
}
