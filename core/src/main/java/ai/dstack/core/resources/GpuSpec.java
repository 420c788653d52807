package ai.dstack.core.resources;

import java.util.List;

/**
 * GPU requirement. {@code vendor} is nvidia, amd, google, intel or tenstorrent; {@code name} lists
 * acceptable models; {@code memory} is per GPU and {@code totalMemory} across all, in GB; {@code
 * computeCapability} is the minimum as [major, minor].
 */
public record GpuSpec(
    String vendor,
    List<String> name,
    Range<Long> count,
    Range<Double> memory,
    Range<Double> totalMemory,
    List<Integer> computeCapability) {

  /** The count when a GPU is asked for without one. */
  public static final Range<Long> DEFAULT_COUNT = Range.atLeast(1L);

  /** No GPU required, any accepted: what a configuration without {@code gpu} gets. */
  public static final GpuSpec DEFAULT =
      new GpuSpec(null, null, Range.atLeast(0L), null, null, null);

  public GpuSpec {
    name = name == null ? null : List.copyOf(name);
    computeCapability = computeCapability == null ? null : List.copyOf(computeCapability);
  }
}
