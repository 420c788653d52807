package ai.dstack.core.configurations;

import ai.dstack.core.profiles.Durations;
import ai.dstack.core.profiles.NullValues;
import ai.dstack.core.yaml.Field;
import ai.dstack.core.yaml.ObjectSpec;
import ai.dstack.core.yaml.Readers;
import ai.dstack.core.yaml.ValueReader;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * An HTTP probe of a service's replicas: what to request and how often, and how many successes make
 * a replica ready. Null fields take dstack's defaults (url /, method get, timeout 10s, interval
 * 15s, ready_after 1, until_ready false).
 */
public record ProbeConfig(
    String type,
    String url,
    String method,
    List<Header> headers,
    String body,
    Long timeout,
    Long interval,
    Long readyAfter,
    Boolean untilReady) {

  public ProbeConfig {
    headers = List.copyOf(headers);
  }

  /** An HTTP header sent with the probe. */
  public record Header(String name, String value) {}

  private static ValueReader<String> text(int max) {
    return ValueReader.of(
        Map.of("type", "string", "minLength", 1, "maxLength", max),
        (node, path, problems) -> {
          var text = Readers.STRING.read(node, path, problems);
          if (text != null && text.isEmpty()) {
            return problems.add(node, path, "cannot be empty");
          }
          if (text != null && text.length() > max) {
            return problems.add(
                node, path, "is " + text.length() + " characters long; the most is " + max);
          }
          return text;
        });
  }

  private static ValueReader<Long> atLeastOneSecond(String what) {
    return ValueReader.of(
        Durations.DURATION.schema(),
        (node, path, problems) -> {
          var seconds = Durations.DURATION.read(node, path, problems);
          if (seconds != null && seconds < 1) {
            return problems.add(
                node, path, "the " + what + " must be at least 1s, got " + seconds + " seconds");
          }
          return seconds;
        });
  }

  private static final Field<String> HEADER_NAME =
      Field.required("name", text(256), "The header name");
  private static final Field<String> HEADER_VALUE =
      Field.required("value", text(2048), "The header value");
  private static final ValueReader<Header> HEADER =
      ObjectSpec.of("an HTTP header", HEADER_NAME, HEADER_VALUE)
          .reader(
              values -> {
                NullValues.rejectNull(values, HEADER_NAME, HEADER_VALUE);
                return new Header(values.get(HEADER_NAME), values.get(HEADER_VALUE));
              });

  private static final ValueReader<String> URL_READER =
      ValueReader.of(
          Map.of("type", "string", "pattern", "^/", "maxLength", 2048),
          (node, path, problems) -> {
            var url = Readers.STRING.read(node, path, problems);
            if (url == null) {
              return null;
            }
            if (!url.startsWith("/")) {
              return problems.add(
                  node, path, "\"" + url + "\" must start with /; write a path such as /health");
            }
            if (url.length() > 2048) {
              return problems.add(node, path, "is longer than 2048 characters");
            }
            if (url.codePoints().anyMatch(c -> !isPrintable(c))) {
              return problems.add(node, path, "cannot contain non-printable characters");
            }
            return url;
          });

  private static boolean isPrintable(int c) {
    if (c == ' ') {
      return true;
    }
    var type = Character.getType(c);
    return !Character.isWhitespace(c)
        && !Character.isSpaceChar(c)
        && type != Character.CONTROL
        && type != Character.FORMAT
        && type != Character.SURROGATE
        && type != Character.PRIVATE_USE
        && type != Character.UNASSIGNED;
  }

  private static final Field<String> TYPE =
      Field.required("type", Readers.oneOf("http"), "The probe type: http");
  private static final Field<String> URL =
      Field.of("url", URL_READER, "The path to request (default /)");
  private static final Field<String> METHOD =
      Field.of(
          "method",
          Readers.oneOf("get", "post", "put", "delete", "patch", "head"),
          "The HTTP method: get (the default), post, put, delete, patch or head");
  private static final Field<List<Header>> HEADERS =
      Field.of(
          "headers",
          ValueReader.of(
              Readers.listOf(HEADER).schema(),
              (node, path, problems) -> {
                var headers = Readers.listOf(HEADER).read(node, path, problems);
                if (headers != null && headers.size() > 16) {
                  return problems.add(
                      node, path, "has " + headers.size() + " headers; the most is 16");
                }
                return headers;
              }),
          "HTTP headers to send: [{name, value}] (at most 16)");
  private static final Field<String> BODY =
      Field.of("body", text(2048), "The request body (not with get or head)");
  private static final Field<Long> TIMEOUT =
      Field.of(
          "timeout", atLeastOneSecond("timeout"), "The longest a request may take (default 10s)");
  private static final Field<Long> INTERVAL =
      Field.of(
          "interval",
          atLeastOneSecond("interval"),
          "The least time between the end of one probe and the start of the next (default 15s)");
  private static final Field<Long> READY_AFTER =
      Field.of(
          "ready_after",
          Readers.integerAtLeast(1),
          "How many successes in a row make a replica ready (default 1)");
  private static final Field<Boolean> UNTIL_READY =
      Field.of(
          "until_ready", Readers.BOOLEAN, "Stop probing once the replica is ready (default false)");

  private static final ValueReader<ProbeConfig> ITEM =
      ObjectSpec.of(
              "a probe",
              TYPE,
              URL,
              METHOD,
              HEADERS,
              BODY,
              TIMEOUT,
              INTERVAL,
              READY_AFTER,
              UNTIL_READY)
          .reader(
              values -> {
                NullValues.rejectNull(values, TYPE, HEADERS);
                var method = values.get(METHOD);
                if (values.get(BODY) != null && ("get".equals(method) || "head".equals(method))) {
                  values.problem(
                      BODY, "cannot be sent with method " + method + "; use post, put or patch");
                }
                return values.get(TYPE) == null
                    ? null
                    : new ProbeConfig(
                        "http",
                        values.get(URL),
                        method,
                        values.get(HEADERS, List.of()),
                        values.get(BODY),
                        values.get(TIMEOUT),
                        values.get(INTERVAL),
                        values.get(READY_AFTER),
                        values.get(UNTIL_READY));
              });

  /** The {@code probes} list; probes must differ. */
  public static final ValueReader<List<ProbeConfig>> LIST =
      ValueReader.of(
          Readers.listOf(ITEM).schema(),
          (node, path, problems) -> {
            var probes = Readers.listOf(ITEM).read(node, path, problems);
            if (probes != null && new HashSet<>(probes).size() != probes.size()) {
              return problems.add(node, path, "has the same probe twice; remove the copy");
            }
            return probes;
          });
}
