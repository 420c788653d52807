package ai.dstack.activities.offers;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The accelerators dstack knows (gpuhunt 0.1.34's {@code KNOWN_ACCELERATORS}, which dstack 0.22.5
 * uses): their memory sizes, and for NVIDIA GPUs the compute capability a {@code
 * compute_capability} requirement is checked against.
 */
public final class KnownAccelerators {
  private KnownAccelerators() {}

  /**
   * One known model (a model sold with several memory sizes appears once per size).
   *
   * @param vendor {@code nvidia}, {@code amd}, {@code google}, {@code intel} or {@code tenstorrent}
   * @param name dstack's short name, e.g. {@code H100}
   * @param memoryGib its memory in GiB
   * @param computeCapability [major, minor] for NVIDIA GPUs, else null
   */
  public record Accelerator(
      String vendor, String name, int memoryGib, List<Integer> computeCapability) {}

  /** Every known model, in gpuhunt's order. */
  public static final List<Accelerator> ALL =
      List.of(
          new Accelerator("nvidia", "A10", 24, List.of(8, 6)),
          new Accelerator("nvidia", "A16", 16, List.of(8, 6)),
          new Accelerator("nvidia", "A40", 48, List.of(8, 6)),
          new Accelerator("nvidia", "A100", 40, List.of(8, 0)),
          new Accelerator("nvidia", "A100", 80, List.of(8, 0)),
          new Accelerator("nvidia", "A10G", 24, List.of(8, 6)),
          new Accelerator("nvidia", "A4000", 16, List.of(8, 6)),
          new Accelerator("nvidia", "A4500", 20, List.of(8, 6)),
          new Accelerator("nvidia", "A5000", 24, List.of(8, 6)),
          new Accelerator("nvidia", "A6000", 48, List.of(8, 6)),
          new Accelerator("nvidia", "H100", 80, List.of(9, 0)),
          new Accelerator("nvidia", "H100NVL", 94, List.of(9, 0)),
          new Accelerator("nvidia", "H200", 141, List.of(9, 0)),
          new Accelerator("nvidia", "H200NVL", 141, List.of(9, 0)),
          new Accelerator("nvidia", "B200", 180, List.of(10, 0)),
          new Accelerator("nvidia", "GB200", 186, List.of(10, 0)),
          new Accelerator("nvidia", "B300", 270, List.of(10, 0)),
          new Accelerator("nvidia", "GB300", 270, List.of(10, 0)),
          new Accelerator("nvidia", "L4", 24, List.of(8, 9)),
          new Accelerator("nvidia", "L40", 48, List.of(8, 9)),
          new Accelerator("nvidia", "L40S", 48, List.of(8, 9)),
          new Accelerator("nvidia", "P100", 16, List.of(6, 0)),
          new Accelerator("nvidia", "RTX2060", 6, List.of(7, 5)),
          new Accelerator("nvidia", "RTX2060", 12, List.of(7, 5)),
          new Accelerator("nvidia", "RTX2060SUPER", 8, List.of(7, 5)),
          new Accelerator("nvidia", "RTX2070", 8, List.of(7, 5)),
          new Accelerator("nvidia", "RTX2070SUPER", 8, List.of(7, 5)),
          new Accelerator("nvidia", "RTX2080", 8, List.of(7, 5)),
          new Accelerator("nvidia", "RTX2080SUPER", 8, List.of(7, 5)),
          new Accelerator("nvidia", "RTX2080Ti", 11, List.of(7, 5)),
          new Accelerator("nvidia", "RTX3050", 6, List.of(8, 6)),
          new Accelerator("nvidia", "RTX3050", 8, List.of(8, 6)),
          new Accelerator("nvidia", "RTX3060", 8, List.of(8, 6)),
          new Accelerator("nvidia", "RTX3060", 12, List.of(8, 6)),
          new Accelerator("nvidia", "RTX3060Ti", 8, List.of(8, 6)),
          new Accelerator("nvidia", "RTX3070", 8, List.of(8, 6)),
          new Accelerator("nvidia", "RTX3070Ti", 8, List.of(8, 6)),
          new Accelerator("nvidia", "RTX3080", 10, List.of(8, 6)),
          new Accelerator("nvidia", "RTX3080Ti", 12, List.of(8, 6)),
          new Accelerator("nvidia", "RTX3090", 24, List.of(8, 6)),
          new Accelerator("nvidia", "RTX3090Ti", 24, List.of(8, 6)),
          new Accelerator("nvidia", "RTX4060", 8, List.of(8, 9)),
          new Accelerator("nvidia", "RTX4060Ti", 8, List.of(8, 9)),
          new Accelerator("nvidia", "RTX4060Ti", 16, List.of(8, 9)),
          new Accelerator("nvidia", "RTX4070", 12, List.of(8, 9)),
          new Accelerator("nvidia", "RTX4070SUPER", 12, List.of(8, 9)),
          new Accelerator("nvidia", "RTX4070Ti", 12, List.of(8, 9)),
          new Accelerator("nvidia", "RTX4070TiSUPER", 16, List.of(8, 9)),
          new Accelerator("nvidia", "RTX4080", 16, List.of(8, 9)),
          new Accelerator("nvidia", "RTX4080SUPER", 16, List.of(8, 9)),
          new Accelerator("nvidia", "RTX4090", 24, List.of(8, 9)),
          new Accelerator("nvidia", "RTX5060", 8, List.of(12, 0)),
          new Accelerator("nvidia", "RTX5060Ti", 8, List.of(12, 0)),
          new Accelerator("nvidia", "RTX5060Ti", 16, List.of(12, 0)),
          new Accelerator("nvidia", "RTX5070", 12, List.of(12, 0)),
          new Accelerator("nvidia", "RTX5070Ti", 16, List.of(12, 0)),
          new Accelerator("nvidia", "RTX5080", 16, List.of(12, 0)),
          new Accelerator("nvidia", "RTX5090", 32, List.of(12, 0)),
          new Accelerator("nvidia", "RTX6000", 24, List.of(7, 5)),
          new Accelerator("nvidia", "RTX2000Ada", 16, List.of(8, 9)),
          new Accelerator("nvidia", "RTX4000Ada", 20, List.of(8, 9)),
          new Accelerator("nvidia", "RTX6000Ada", 48, List.of(8, 9)),
          new Accelerator("nvidia", "RTXPRO4500", 32, List.of(12, 0)),
          new Accelerator("nvidia", "RTXPRO6000", 96, List.of(12, 0)),
          new Accelerator("nvidia", "T4", 16, List.of(7, 5)),
          new Accelerator("nvidia", "V100", 16, List.of(7, 0)),
          new Accelerator("nvidia", "V100", 32, List.of(7, 0)),
          new Accelerator("nvidia", "GH200", 96, List.of(9, 0)),
          new Accelerator("amd", "MI100", 32, null),
          new Accelerator("amd", "MI210", 64, null),
          new Accelerator("amd", "MI250", 128, null),
          new Accelerator("amd", "MI250X", 128, null),
          new Accelerator("amd", "MI300A", 128, null),
          new Accelerator("amd", "MI300X", 192, null),
          new Accelerator("amd", "MI308X", 128, null),
          new Accelerator("amd", "MI325X", 288, null),
          new Accelerator("amd", "MI350X", 288, null),
          new Accelerator("amd", "MI355X", 288, null),
          new Accelerator("google", "v2", 0, null),
          new Accelerator("google", "v3", 0, null),
          new Accelerator("google", "v4", 0, null),
          new Accelerator("google", "v5p", 0, null),
          new Accelerator("google", "v5litepod", 0, null),
          new Accelerator("google", "v6e", 0, null),
          new Accelerator("intel", "Gaudi", 32, null),
          new Accelerator("intel", "Gaudi2", 96, null),
          new Accelerator("intel", "Gaudi3", 128, null),
          new Accelerator("tenstorrent", "n150", 12, null),
          new Accelerator("tenstorrent", "n300", 24, null),
          new Accelerator("tenstorrent", "tt-galaxy-wh", 12, null),
          new Accelerator("tenstorrent", "p100a", 28, null),
          new Accelerator("tenstorrent", "p150", 32, null),
          new Accelerator("tenstorrent", "p300", 32, null),
          new Accelerator("tenstorrent", "p300", 64, null),
          new Accelerator("tenstorrent", "tt-galaxy-bh", 32, null));

  /** The compute capability of a known NVIDIA GPU (gpuhunt's {@code get_compute_capability}). */
  public static Optional<List<Integer>> computeCapability(String gpuName) {
    return find(gpuName, "nvidia").stream()
        .map(Accelerator::computeCapability)
        .filter(cc -> cc != null)
        .findFirst();
  }

  /**
   * The known models of this name (case-insensitive), of any vendor when {@code vendor} is null.
   */
  public static List<Accelerator> find(String name, String vendor) {
    var lower = name.toLowerCase(Locale.ROOT);
    return ALL.stream()
        .filter(a -> a.name().toLowerCase(Locale.ROOT).equals(lower))
        .filter(a -> vendor == null || a.vendor().equalsIgnoreCase(vendor))
        .toList();
  }
}
