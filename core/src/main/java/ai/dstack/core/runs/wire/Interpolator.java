package ai.dstack.core.runs.wire;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fills in {@code ${{ namespace.name }}} references, as dstack's {@code VariablesInterpolator}:
 * {@code $$} escapes a dollar, names are {@code namespace.name} of letters, digits and {@code _}
 * (not starting with a digit), and a reference to an unknown name is an error naming every missing
 * one. Used for {@code ${{ secrets.NAME }}} and {@code ${{ dstack.node_rank }}}.
 */
final class Interpolator {
  private static final String OPENING = "${{";
  private static final String CLOSING = "}}";

  private final Map<String, String> variables = new LinkedHashMap<>();

  /**
   * @param namespaces the values by namespace, then by name
   */
  Interpolator(Map<String, Map<String, String>> namespaces) {
    namespaces.forEach((ns, values) -> values.forEach((k, v) -> variables.put(ns + "." + k, v)));
  }

  /**
   * The text with every reference filled in.
   *
   * @throws InvalidRunSpecException with dstack's message, for an unclosed or illegal reference or
   *     one to an unknown name
   */
  String interpolate(String text) {
    var out = new StringBuilder();
    var missing = new ArrayList<String>();
    int start = 0;
    while (start < text.length()) {
      int dollar = text.indexOf('$', start);
      if (dollar == -1 || dollar == text.length() - 1) {
        out.append(text, start, text.length());
        break;
      }
      if (text.charAt(dollar + 1) == '$') {
        out.append(text, start, dollar + 1);
        start = dollar + 2;
        continue;
      }
      int opening = text.indexOf(OPENING, start);
      if (opening == -1) {
        out.append(text, start, text.length());
        break;
      }
      out.append(text, start, opening);
      int closing = text.indexOf(CLOSING, opening);
      if (closing == -1) {
        throw new InvalidRunSpecException("No pattern closing: " + text.substring(opening));
      }
      var name = text.substring(opening + OPENING.length(), closing).strip();
      if (!isValidName(name)) {
        throw new InvalidRunSpecException("Illegal reference name: " + name);
      }
      var value = variables.get(name);
      if (value != null) {
        out.append(value);
      } else {
        missing.add(name);
      }
      start = closing + CLOSING.length();
    }
    if (!missing.isEmpty()) {
      throw new InvalidRunSpecException(
          "Failed to interpolate due to missing vars: "
              + RunSpecs.pythonList(List.copyOf(missing)));
    }
    return out.toString();
  }

  private static boolean isValidName(String name) {
    int dot = name.indexOf('.');
    if (dot <= 0 || dot != name.lastIndexOf('.') || dot == name.length() - 1) {
      return false;
    }
    if (!isFirstChar(name.charAt(0)) || !isFirstChar(name.charAt(dot + 1))) {
      return false;
    }
    return name.chars().allMatch(c -> isFirstChar((char) c) || c >= '0' && c <= '9' || c == '.');
  }

  private static boolean isFirstChar(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_';
  }
}
