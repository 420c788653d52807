package ai.dstack.core.profiles;

import ai.dstack.core.yaml.Field;
import ai.dstack.core.yaml.FieldPath;
import ai.dstack.core.yaml.Node;
import ai.dstack.core.yaml.ObjectSpec;
import ai.dstack.core.yaml.Problems;
import ai.dstack.core.yaml.Readers;
import ai.dstack.core.yaml.ValueReader;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Map;

/**
 * When to resubmit a run: {@code retry: true} (on every event, for an hour), {@code false}, or a
 * policy naming the events and for how long. JSON as dstack writes it: a boolean, or {@code
 * {on_events, duration}}.
 */
public sealed interface Retry {

  /** The events a run can be retried on. */
  List<String> EVENTS = List.of("no-capacity", "interruption", "error");

  /** {@code retry: true} or {@code retry: false}. */
  record Switch(boolean enabled) implements Retry {
    @JsonValue
    boolean json() {
      return enabled;
    }
  }

  /**
   * Retry on these events (all when null) for up to {@code duration} seconds (dstack's default when
   * null).
   */
  record Policy(List<String> onEvents, Long duration) implements Retry {
    public Policy {
      onEvents = onEvents == null ? null : List.copyOf(onEvents);
    }
  }

  Field<List<String>> ON_EVENTS =
      Field.of(
          "on_events",
          Readers.listOf(Readers.oneOf(EVENTS.toArray(String[]::new))),
          "The events to retry on: no-capacity, interruption, error (all when left out)");
  Field<Long> DURATION =
      Field.of(
          "duration",
          Durations.DURATION,
          "How long to keep retrying (e.g. 4h, 1d): the run's age for no-capacity, the time since"
              + " the last failure for interruption and error");
  ObjectSpec POLICY = ObjectSpec.of("a retry policy", ON_EVENTS, DURATION);

  /** {@code true}/{@code false} or a policy object. */
  ValueReader<Retry> READER =
      ValueReader.of(
          Map.of("anyOf", List.of(Map.of("type", "boolean"), POLICY.schema())), Retry::read);

  private static Retry read(Node node, FieldPath path, Problems problems) {
    if (node instanceof Node.Mapping) {
      var values = POLICY.read(node, path, problems);
      if (values == null) {
        return null;
      }
      var events = values.get(ON_EVENTS);
      if (events != null && events.isEmpty()) {
        return values.problem(
            ON_EVENTS, "cannot be empty; list events to retry on, or leave it out to retry on all");
      }
      return new Policy(events, values.get(DURATION));
    }
    if (node instanceof Node.Scalar) {
      var flag = Readers.booleanOf(node);
      if (flag != null) {
        return new Switch(flag);
      }
    }
    return problems.add(
        node,
        path,
        "expected true, false or a retry policy {on_events, duration}, got " + node.describe());
  }
}
