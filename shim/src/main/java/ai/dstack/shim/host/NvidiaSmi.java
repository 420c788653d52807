package ai.dstack.shim.host;

import ai.dstack.core.agents.shim.GpuInfo;
import java.util.ArrayList;
import java.util.List;

/** Reads NVIDIA GPUs from {@code nvidia-smi}'s CSV output, with the query dstack's shim uses. */
public final class NvidiaSmi {
  private NvidiaSmi() {}

  public static final String VENDOR = "nvidia";

  /** The command; prints one line per GPU, e.g. {@code NVIDIA L4, 23034, GPU-..., 550.90.07}. */
  public static final List<String> COMMAND =
      List.of(
          "nvidia-smi",
          "--query-gpu=name,memory.total,uuid,driver_version",
          "--format=csv,noheader,nounits");

  private static final int FIELDS = 4;

  /**
   * The GPUs of the output: name, memory (MiB; 0 where the tool prints a placeholder), UUID as id,
   * driver version ("" for placeholders).
   */
  public static List<GpuInfo> parse(String output) throws GpuOutputException {
    List<GpuInfo> gpus = new ArrayList<>();
    String[] lines = output.split("\\R");
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.isBlank()) {
        continue;
      }
      List<String> fields = splitCsv(line);
      if (fields.size() != FIELDS) {
        throw new GpuOutputException(
            "nvidia-smi line %d: expected %d fields (name, memory.total, uuid, driver_version), got %d: %s"
                .formatted(i + 1, FIELDS, fields.size(), line.strip()));
      }
      gpus.add(
          new GpuInfo(
              VENDOR,
              fields.get(0),
              memoryMib(fields.get(1)),
              DriverVersions.normalize(fields.get(3)),
              fields.get(2)));
    }
    return gpus;
  }

  private static long memoryMib(String value) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      return 0; // "[N/A]" on some virtual GPUs; the server then uses the GPU's known memory
    }
  }

  /** Comma-separated, trimmed fields; double quotes protect commas (nvidia-smi never needs it). */
  private static List<String> splitCsv(String line) {
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '"') {
        quoted = !quoted;
      } else if (c == ',' && !quoted) {
        fields.add(field.toString().strip());
        field.setLength(0);
      } else {
        field.append(c);
      }
    }
    fields.add(field.toString().strip());
    return fields;
  }
}
