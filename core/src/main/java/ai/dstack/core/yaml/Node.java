package ai.dstack.core.yaml;

import java.util.List;

/**
 * A parsed YAML (or JSON) value with the place it came from, so errors can point at file, line and
 * column. Scalars keep both their YAML 1.1 type and their source text.
 */
public sealed interface Node permits Node.Scalar, Node.Sequence, Node.Mapping {

  /** 1-based line and column of the node's first character. */
  Mark mark();

  /** A short description of what the node is, for "expected X, got Y" messages. */
  String describe();

  /** Where a node starts in its source. */
  record Mark(int line, int column) {
    public static final Mark NONE = new Mark(0, 0);
  }

  /** The YAML 1.1 type of a scalar, resolved as PyYAML's safe loader resolves it. */
  enum ScalarType {
    NULL,
    BOOL,
    INT,
    FLOAT,
    STR,
    TIMESTAMP
  }

  /**
   * A scalar. {@code value} is null, a {@link Boolean}, a {@link java.math.BigInteger}, a {@link
   * Double} or a {@link String} (also for timestamps, kept as written).
   */
  record Scalar(ScalarType type, String text, Object value, Mark mark) implements Node {
    public static Scalar str(String text, Mark mark) {
      return new Scalar(ScalarType.STR, text, text, mark);
    }

    public boolean isNull() {
      return type == ScalarType.NULL;
    }

    @Override
    public String describe() {
      return switch (type) {
        case NULL -> "null";
        case BOOL -> "a boolean (" + text + ")";
        case INT -> "an integer (" + text + ")";
        case FLOAT -> "a number (" + text + ")";
        case STR -> "\"" + text + "\"";
        case TIMESTAMP -> "a date (" + text + ")";
      };
    }
  }

  /** A list. */
  record Sequence(List<Node> items, Mark mark) implements Node {
    public Sequence {
      items = List.copyOf(items);
    }

    @Override
    public String describe() {
      return "a list";
    }
  }

  /** A mapping, entries in source order; a repeated key keeps its last value, as PyYAML does. */
  record Mapping(List<Entry> entries, Mark mark) implements Node {
    public Mapping {
      entries = List.copyOf(entries);
    }

    /** The entry with this key, or null. */
    public Entry get(String key) {
      Entry found = null;
      for (var entry : entries) {
        if (entry.key().equals(key)) {
          found = entry;
        }
      }
      return found;
    }

    @Override
    public String describe() {
      return "a mapping";
    }
  }

  /** One key of a mapping, with where the key itself was written. */
  record Entry(String key, Mark keyMark, Node value) {}
}
