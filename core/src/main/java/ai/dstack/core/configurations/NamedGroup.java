package ai.dstack.core.configurations;

import ai.dstack.core.yaml.Readers;
import ai.dstack.core.yaml.ValueReader;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * A group of a task's nodes or of a service's replicas: named by the user, or after its position.
 *
 * @param <G> the group type
 */
interface NamedGroup<G extends NamedGroup<G>> {
  String name();

  /** This group with another name. */
  G named(String newName);

  /**
   * A non-empty list of groups; a group without a name is named after its position, and names must
   * be unique. {@code kind} names the groups in messages ("node groups").
   */
  static <G extends NamedGroup<G>> ValueReader<List<G>> listOf(ValueReader<G> group, String kind) {
    var list = Readers.listOf(group);
    return ValueReader.of(
        list.schema(),
        (node, path, problems) -> {
          var groups = list.read(node, path, problems);
          if (groups == null) {
            return null;
          }
          if (groups.isEmpty()) {
            return problems.add(node, path, "cannot be empty; list " + kind + ", or leave it out");
          }
          var named = new ArrayList<G>();
          var seen = new LinkedHashSet<String>();
          var duplicates = new LinkedHashSet<String>();
          for (int i = 0; i < groups.size(); i++) {
            var g = groups.get(i);
            var withName = g.name() == null ? g.named(String.valueOf(i)) : g;
            named.add(withName);
            if (!seen.add(withName.name())) {
              duplicates.add("\"" + withName.name() + "\"");
            }
          }
          if (!duplicates.isEmpty()) {
            return problems.add(
                node,
                path,
                "group names must be unique; "
                    + String.join(", ", duplicates)
                    + (duplicates.size() == 1 ? " is" : " are")
                    + " used more than once (a group without a name is named after its position)");
          }
          return List.copyOf(named);
        });
  }
}
