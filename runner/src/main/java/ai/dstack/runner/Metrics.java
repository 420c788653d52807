package ai.dstack.runner;

import ai.dstack.core.agents.runner.MetricsResponse;
import ai.dstack.core.agents.runner.MetricsResponse.GpuMetrics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The container's resource use, from its cgroup (v2, else v1) and from {@code nvidia-smi} when
 * there is one, as dstack's runner reports it.
 */
final class Metrics {
  private final Path procSelf;
  private final Optional<Path> nvidiaSmi;

  Metrics() {
    this(Path.of("/proc/self"), JobProcess.which("nvidia-smi", System.getenv("PATH")));
  }

  Metrics(Path procSelf, Optional<Path> nvidiaSmi) {
    this.procSelf = procSelf;
    this.nvidiaSmi = nvidiaSmi;
  }

  /** The figures now; empty when the cgroup cannot be read (not Linux, or no cgroup mounted). */
  Optional<MetricsResponse> read() {
    long timestamp = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
    Optional<long[]> cgroup = readCgroupV2().or(this::readCgroupV1);
    return cgroup.map(
        values ->
            new MetricsResponse(
                timestamp, values[0], values[1], Math.max(0, values[1] - values[2]), gpus()));
  }

  /** {cpu usage µs, memory usage bytes, inactive file bytes} from a unified hierarchy. */
  private Optional<long[]> readCgroupV2() {
    Optional<Path> dir = cgroupDir("cgroup2", "");
    if (dir.isEmpty()) {
      return Optional.empty();
    }
    try {
      long cpu = statValue(dir.get().resolve("cpu.stat"), "usage_usec");
      long memory = Long.parseLong(Files.readString(dir.get().resolve("memory.current")).strip());
      long inactive = statValue(dir.get().resolve("memory.stat"), "inactive_file");
      return Optional.of(new long[] {cpu, memory, inactive});
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private Optional<long[]> readCgroupV1() {
    Optional<Path> cpuDir = cgroupDir("cgroup", "cpuacct");
    Optional<Path> memoryDir = cgroupDir("cgroup", "memory");
    if (cpuDir.isEmpty() || memoryDir.isEmpty()) {
      return Optional.empty();
    }
    try {
      long cpuNanos =
          Long.parseLong(Files.readString(cpuDir.get().resolve("cpuacct.usage")).strip());
      long memory =
          Long.parseLong(
              Files.readString(memoryDir.get().resolve("memory.usage_in_bytes")).strip());
      long inactive = statValue(memoryDir.get().resolve("memory.stat"), "total_inactive_file");
      return Optional.of(new long[] {cpuNanos / 1000, memory, inactive});
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * The directory of this process's cgroup: the mount of {@code fsType} (holding {@code controller}
   * for v1) joined with the group's path from {@code /proc/self/cgroup}; the mount itself when that
   * path is not visible there (a container sees its group as the root).
   */
  private Optional<Path> cgroupDir(String fsType, String controller) {
    try {
      Path mount = null;
      for (String line : Files.readAllLines(procSelf.resolve("mounts"))) {
        String[] fields = line.split(" ");
        if (fields.length >= 4
            && fields[2].equals(fsType)
            && (controller.isEmpty() || List.of(fields[3].split(",")).contains(controller))) {
          mount = Path.of(fields[1]);
          break;
        }
      }
      if (mount == null) {
        return Optional.empty();
      }
      String groupPath = null;
      for (String line : Files.readAllLines(procSelf.resolve("cgroup"))) {
        String[] fields = line.split(":", 3);
        if (fields.length < 3) {
          continue;
        }
        boolean matches =
            controller.isEmpty()
                ? fields[0].equals("0") && fields[1].isEmpty()
                : List.of(fields[1].split(",")).contains(controller);
        if (matches) {
          groupPath = fields[2];
        }
      }
      if (groupPath != null) {
        Path dir = mount.resolve(groupPath.replaceFirst("^/+", ""));
        if (Files.isDirectory(dir)) {
          return Optional.of(dir);
        }
      }
      return Optional.of(mount);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static long statValue(Path file, String key) throws IOException {
    for (String line : Files.readAllLines(file)) {
      String[] fields = line.strip().split("\\s+");
      if (fields.length == 2 && fields[0].equals(key)) {
        return Long.parseLong(fields[1]);
      }
    }
    throw new IOException(key + " not found in " + file);
  }

  private List<GpuMetrics> gpus() {
    if (nvidiaSmi.isEmpty()) {
      return List.of();
    }
    try {
      Process smi =
          new ProcessBuilder(
                  nvidiaSmi.get().toString(),
                  "--query-gpu=memory.used,utilization.gpu",
                  "--format=csv,noheader,nounits")
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      byte[] out = smi.getInputStream().readAllBytes();
      if (!smi.waitFor(10, TimeUnit.SECONDS) || smi.exitValue() != 0) {
        smi.destroyForcibly();
        return List.of();
      }
      return parseNvidiaSmi(new String(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return List.of();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of();
    }
  }

  /** {@code nvidia-smi --query-gpu=memory.used,utilization.gpu --format=csv,noheader,nounits}. */
  static List<GpuMetrics> parseNvidiaSmi(String output) {
    var gpus = new ArrayList<GpuMetrics>();
    for (String line : output.strip().split("\n")) {
      String[] parts = line.split(",");
      if (parts.length != 2) {
        continue;
      }
      try {
        long memoryMib = Long.parseLong(parts[0].strip());
        int utilization = Integer.parseInt(parts[1].strip().replace("%", "").strip());
        gpus.add(new GpuMetrics(memoryMib * 1024 * 1024, utilization));
      } catch (NumberFormatException e) {
        // "[N/A]" for a GPU that cannot report: leave it out
      }
    }
    return gpus;
  }
}
