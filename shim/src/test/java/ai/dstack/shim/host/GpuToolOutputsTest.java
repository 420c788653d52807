package ai.dstack.shim.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.core.agents.shim.GpuInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** GPU detection reads the outputs nvidia-smi and amd-smi print (recorded in test resources). */
class GpuToolOutputsTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "h100-80gb-hbm3-x8.txt,      8, NVIDIA H100 80GB HBM3,   81559, 550.54.15,  GPU-9c7a3b2e-51f4-8d2e-7a1c-3f0e9b6d4a21",
    "a100-sxm4-40gb-x8.txt,      8, NVIDIA A100-SXM4-40GB,   40960, 535.183.01, GPU-6f1d2c3b-4a59-8e7f-6d5c-4b3a29180706",
    "a100-sxm4-80gb-x8.txt,      8, NVIDIA A100-SXM4-80GB,   81920, 535.161.08, GPU-1f2e3d4c-5b6a-4798-8a9b-0c1d2e3f4a5b",
    "l4-x1.txt,                  1, NVIDIA L4,               23034, 550.90.07,  GPU-4d7e1a2b-93c8-5f60-a1b2-c3d4e5f60718",
    "t4-x1.txt,                  1, Tesla T4,                15360, 535.104.05, GPU-e2b9c4a7-1d3f-8a6b-5c2e-9f0d1a3b7c4e",
    "rtx-4090-x2.txt,            2, NVIDIA GeForce RTX 4090, 24564, 550.120,    GPU-b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e",
    "h100-pcie-driver-not-available.txt, 1, NVIDIA H100 PCIe, 81559, '',       GPU-f0e1d2c3-b4a5-4968-8778-695a4b3c2d1e",
  })
  void readsNvidiaSmi(
      String file, int count, String name, long memoryMib, String driver, String firstId)
      throws Exception {
    List<GpuInfo> gpus = NvidiaSmi.parse(resource("nvidia-smi/" + file));
    assertEquals(count, gpus.size());
    assertEquals(new GpuInfo("nvidia", name, memoryMib, driver, firstId), gpus.get(0));
    assertTrue(gpus.stream().allMatch(g -> g.name().equals(name) && g.memoryMib() == memoryMib));
    assertEquals(count, gpus.stream().map(GpuInfo::id).distinct().count(), "ids are distinct");
  }

  @Test
  void rejectsNvidiaSmiLinesWithoutTheQueriedFields() throws Exception {
    String output = resource("nvidia-smi/malformed.txt");
    GpuOutputException e = assertThrows(GpuOutputException.class, () -> NvidiaSmi.parse(output));
    assertEquals(
        "nvidia-smi line 1: expected 4 fields (name, memory.total, uuid, driver_version), got 2:"
            + " NVIDIA H100 80GB HBM3, 81559",
        e.getMessage());
  }

  @Test
  void readsNoGpusFromEmptyNvidiaSmiOutput() throws Exception {
    assertEquals(List.of(), NvidiaSmi.parse("\n"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "mi300x-x8-rocm6.json,           8, AMD Instinct MI300X, 6.7.0,   0000:0c:00.0",
    "mi300x-x1-rocm7.json,           1, MI300X-O,            6.12.12, 0000:0c:00.0",
    "mi300x-x2-without-driver.json,  2, AMD Instinct MI300X, '',      0000:0c:00.0",
  })
  void readsAmdSmi(String file, int count, String name, String driver, String firstBus)
      throws Exception {
    List<GpuInfo> gpus = AmdSmi.parse(resource("amd-smi/" + file));
    assertEquals(count, gpus.size());
    assertEquals(new GpuInfo("amd", name, 196592, driver, firstBus), gpus.get(0));
    assertEquals(count, gpus.stream().map(GpuInfo::id).distinct().count(), "bus addresses differ");
  }

  @Test
  void readsAmdSmiDriverVersionUnderItsOtherKeyAndSkipsPlaceholders() throws Exception {
    String gpu =
        "{\"gpu\": 0, \"asic\": {\"market_name\": \"MI300X\"}, \"vram\": {\"size\": {\"value\": 196592,"
            + " \"unit\": \"MB\"}}, \"bus\": {\"bdf\": \"0000:05:00.0\"}, \"driver\": %s}";
    assertEquals(
        "6.8.5",
        AmdSmi.parse("[" + gpu.formatted("{\"driver_version\": \"6.8.5\"}") + "]")
            .get(0)
            .driverVersion());
    assertEquals(
        "6.8.5",
        AmdSmi.parse(
                "[" + gpu.formatted("{\"version\": \"N/A\", \"driver_version\": \"6.8.5\"}") + "]")
            .get(0)
            .driverVersion());
    assertEquals(
        "", AmdSmi.parse("[" + gpu.formatted("\"amdgpu 6.8.5\"") + "]").get(0).driverVersion());
  }

  @Test
  void rejectsAmdSmiOutputThatIsNotJson() {
    GpuOutputException e =
        assertThrows(GpuOutputException.class, () -> AmdSmi.parse("amd-smi: command not found"));
    assertTrue(e.getMessage().startsWith("amd-smi output is not JSON"), e.getMessage());
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = GpuToolOutputsTest.class.getResourceAsStream("/gpus/" + name)) {
      if (in == null) {
        throw new IOException("no test resource /gpus/" + name);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
