package ai.dstack.core.resources;

/**
 * A closed or half-open range; a null bound is open. Written as {@code 8}, {@code 2..8}, {@code
 * 2..}, {@code ..8} or {@code {min: 2, max: 8}}.
 */
public record Range<T extends Comparable<T>>(T min, T max) {
  public Range {
    if (min == null && max == null) {
      throw new IllegalArgumentException("a range needs a lower or an upper bound");
    }
    if (min != null && max != null && min.compareTo(max) > 0) {
      throw new IllegalArgumentException("range " + min + ".." + max + " is reversed");
    }
  }

  public static <T extends Comparable<T>> Range<T> exactly(T value) {
    return new Range<>(value, value);
  }

  public static <T extends Comparable<T>> Range<T> atLeast(T min) {
    return new Range<>(min, null);
  }

  /** Whether the value lies within the range. */
  public boolean contains(T value) {
    return (min == null || min.compareTo(value) <= 0) && (max == null || max.compareTo(value) >= 0);
  }
}
