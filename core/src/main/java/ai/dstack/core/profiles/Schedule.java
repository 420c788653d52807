package ai.dstack.core.profiles;

import ai.dstack.core.yaml.Field;
import ai.dstack.core.yaml.FieldPath;
import ai.dstack.core.yaml.Node;
import ai.dstack.core.yaml.ObjectSpec;
import ai.dstack.core.yaml.Problems;
import ai.dstack.core.yaml.Readers;
import ai.dstack.core.yaml.ValueReader;
import java.util.List;
import java.util.Map;

/**
 * When to start a run: one or more cron expressions, in UTC. Written {@code {cron: "0 8 * * *"}} or
 * with a list of expressions; always a list in JSON.
 */
public record Schedule(List<String> cron) {
  public Schedule {
    cron = List.copyOf(cron);
  }

  private static final ValueReader<String> EXPRESSION =
      ValueReader.of(
          Map.of("type", "string"),
          (node, path, problems) -> {
            var text = Readers.STRING.read(node, path, problems);
            if (text == null) {
              return null;
            }
            var problem = Cron.problem(text);
            return problem == null
                ? text
                : problems.add(
                    node, path, "\"" + text + "\" is not a valid cron expression: " + problem);
          });

  private static final Field<List<String>> CRON =
      Field.required(
          "cron",
          ValueReader.of(Readers.listOrOne(EXPRESSION).schema(), Schedule::readExpressions),
          "A cron expression, or a list of them, for the UTC times to start the run"
              + " (minute hour day month day-of-week, e.g. \"0 8 * * *\")");

  private static List<String> readExpressions(Node node, FieldPath path, Problems problems) {
    var list = Readers.listOrOne(EXPRESSION).read(node, path, problems);
    if (list != null && list.isEmpty()) {
      return problems.add(node, path, "needs at least one cron expression, e.g. \"0 8 * * *\"");
    }
    return list;
  }

  /** The {@code schedule} object. */
  public static final ValueReader<Schedule> READER =
      ObjectSpec.of("a schedule", CRON)
          .reader(
              values -> {
                NullValues.rejectNull(values, CRON);
                var cron = values.get(CRON);
                return cron == null ? null : new Schedule(cron);
              });
}
