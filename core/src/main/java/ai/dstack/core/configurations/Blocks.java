package ai.dstack.core.configurations;

import ai.dstack.core.yaml.Node;
import ai.dstack.core.yaml.Readers;
import ai.dstack.core.yaml.ValueReader;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Map;

/**
 * How many blocks a fleet instance is split into, so several runs can share it: a number, or {@code
 * auto} (as many as its GPUs and CPUs divide into). Written as {@code 4} or {@code auto}.
 *
 * @param count the number of blocks, or null for {@code auto}
 */
public record Blocks(Long count) {
  /** As many blocks as possible. */
  public static final Blocks AUTO = new Blocks(null);

  /** One block: the instance is not split, dstack's default. */
  public static final Blocks ONE = new Blocks(1L);

  public Blocks {
    if (count != null && count < 1) {
      throw new IllegalArgumentException("blocks must be at least 1, got " + count);
    }
  }

  public boolean isAuto() {
    return count == null;
  }

  /** {@code "auto"} or the number, as dstack writes it. */
  @JsonValue
  Object json() {
    return isAuto() ? "auto" : count;
  }

  /** {@code auto}, or an integer of at least 1 ({@code "4"} and {@code 4.0} are taken as 4). */
  public static final ValueReader<Blocks> READER =
      ValueReader.of(
          Map.of(
              "anyOf",
              List.of(
                  Map.of("type", "string", "const", "auto"),
                  Map.of("type", "integer", "minimum", 1))),
          (node, path, problems) -> {
            if (node instanceof Node.Scalar s
                && s.type() == Node.ScalarType.STR
                && s.text().equals("auto")) {
              return AUTO;
            }
            var count = Readers.integerOf(node);
            if (count == null) {
              return problems.add(
                  node,
                  path,
                  "expected a number of blocks (1 or more) or \"auto\", got " + node.describe());
            }
            if (count < 1) {
              return problems.add(
                  node,
                  path,
                  "must be at least 1 (or \"auto\"), got "
                      + count
                      + "; write 1 to keep instances whole");
            }
            return new Blocks(count);
          });
}
