package ai.dstack.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A plan's header as dstack prints it: one property a line, the names (bold on a terminal) in a
 * column, the values aligned after them.
 */
final class PropertyList {
  private final Map<String, String> properties = new LinkedHashMap<>();

  /** Adds a property; a null value is left out. */
  PropertyList add(String name, Object value) {
    if (value != null) {
      properties.put(name, value.toString());
    }
    return this;
  }

  /** Prints the properties, then an empty line. */
  void print(PrintWriter out) {
    int width = properties.keySet().stream().mapToInt(String::length).max().orElse(0);
    properties.forEach(
        (name, value) ->
            out.println(Terminal.bold(name) + " ".repeat(width - name.length() + 2) + value));
    out.println();
    out.flush();
  }
}
