package ai.dstack.shim.host;

import ai.dstack.core.agents.shim.GpuInfo;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads AMD GPUs from {@code amd-smi static --json --asic --vram --bus --driver}: a flat array
 * (ROCm 6.x) or an object wrapping it in {@code gpu_data} (ROCm 7.x).
 */
public final class AmdSmi {
  private AmdSmi() {}

  public static final String VENDOR = "amd";

  /** The command with the driver section; older amd-smi versions reject {@code --driver}. */
  public static final List<String> COMMAND =
      List.of("amd-smi", "static", "--json", "--asic", "--vram", "--bus", "--driver");

  /** The command for amd-smi versions without {@code --driver}. */
  public static final List<String> COMMAND_WITHOUT_DRIVER = COMMAND.subList(0, COMMAND.size() - 1);

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /**
   * The GPUs of the output: {@code asic.market_name}, {@code vram.size} in MiB, {@code bus.bdf} as
   * id and the driver version ("" where the section is missing, odd or a placeholder).
   */
  public static List<GpuInfo> parse(String output) throws GpuOutputException {
    JsonNode root;
    try {
      root = MAPPER.readTree(output);
    } catch (JsonProcessingException e) {
      throw new GpuOutputException("amd-smi output is not JSON: " + e.getOriginalMessage(), e);
    }
    if (root != null && root.isObject() && root.has("gpu_data")) {
      root = root.get("gpu_data");
    }
    if (root == null || !root.isArray()) {
      throw new GpuOutputException(
          "amd-smi output is neither a list of GPUs nor an object with gpu_data");
    }
    List<GpuInfo> gpus = new ArrayList<>();
    for (JsonNode gpu : root) {
      gpus.add(
          new GpuInfo(
              VENDOR,
              gpu.path("asic").path("market_name").asText(""),
              vramMib(gpu.path("vram").path("size")),
              driverVersion(gpu.get("driver")),
              gpu.path("bus").path("bdf").asText("")));
    }
    return gpus;
  }

  private static long vramMib(JsonNode size) {
    long value = size.isObject() ? size.path("value").asLong(0) : size.asLong(0);
    String unit = size.path("unit").asText("MB").toUpperCase(Locale.ROOT);
    // amd-smi's "MB" are MiB (MI300X: 196592 MB = 192 GiB)
    return switch (unit) {
      case "GB", "GIB" -> value * 1024;
      case "KB", "KIB" -> value / 1024;
      case "B" -> value / (1024 * 1024);
      default -> value;
    };
  }

  /** {@code version}, else {@code driver_version}, matched without regard to case. */
  private static String driverVersion(JsonNode driver) {
    if (driver == null || !driver.isObject()) {
      return "";
    }
    String version = "";
    String driverVersion = "";
    for (Map.Entry<String, JsonNode> field : driver.properties()) {
      String key = field.getKey().toLowerCase(Locale.ROOT);
      if (key.equals("version")) {
        version = DriverVersions.normalize(field.getValue().asText(""));
      } else if (key.equals("driver_version")) {
        driverVersion = DriverVersions.normalize(field.getValue().asText(""));
      }
    }
    return version.isEmpty() ? driverVersion : version;
  }
}
