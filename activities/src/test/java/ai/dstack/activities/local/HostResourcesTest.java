package ai.dstack.activities.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.dstack.activities.offers.DstackOracle;
import ai.dstack.core.agents.shim.GpuInfo;
import ai.dstack.core.agents.shim.HostInfo;
import ai.dstack.core.runs.InstanceResources;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HostResourcesTest {

  /** What vendors' tools print, and the names dstack gives those GPUs. */
  static final List<List<String>> NAMES =
      List.of(
          List.of("nvidia", "NVIDIA H100 80GB HBM3", "H100"),
          List.of("nvidia", "NVIDIA A100-SXM4-80GB", "A100"),
          List.of("nvidia", "Tesla T4", "T4"),
          List.of("nvidia", "Tesla V100-SXM2-16GB", "V100"),
          List.of("nvidia", "NVIDIA A10G", "A10G"),
          List.of("nvidia", "NVIDIA L40S", "L40S"),
          List.of("nvidia", "NVIDIA GH200 480GB", "GH200"),
          List.of("nvidia", "NVIDIA H100 NVL", "H100NVL"),
          List.of("nvidia", "NVIDIA GeForce RTX 4090", "RTX4090"),
          List.of("nvidia", "NVIDIA GeForce RTX 3080 Ti", "RTX3080Ti"),
          List.of("nvidia", "NVIDIA GeForce RTX 4070 SUPER", "RTX4070SUPER"),
          List.of("nvidia", "NVIDIA RTX A6000", "A6000"),
          List.of("nvidia", "NVIDIA RTX 6000 Ada Generation", "RTX6000Ada"),
          List.of("nvidia", "Quadro RTX 6000", "RTX6000"),
          List.of("amd", "AMD Instinct MI300X", "MI300X"),
          List.of("amd", "MI300X-O", "MI300X"),
          List.of("amd", "AMD Instinct MI250X / MI250", "MI250X"),
          List.of("amd", "Radeon Pro W7900", "Radeon Pro W7900"),
          List.of("intel", "HL-225", "Gaudi2"),
          List.of("intel", "HL-325L", "Gaudi3"),
          List.of("tenstorrent", "n300", "n300"));

  @Test
  void shortensGpuNamesAsDstackDoes() {
    for (var name : NAMES) {
      assertEquals(name.get(2), HostResources.gpuName(name.get(0), name.get(1)), name::toString);
    }
  }

  @Test
  void dstackShortensThemTheSameWay() throws Exception {
    List<Map<String, Object>> questions = new ArrayList<>();
    for (var name : NAMES) {
      questions.add(Map.of("gpu_name", Map.of("vendor", name.get(0), "name", name.get(1))));
    }

    var answers = DstackOracle.ask(questions);

    for (int i = 0; i < NAMES.size(); i++) {
      assertEquals(answers.get(i).asText(), NAMES.get(i).get(2), NAMES.get(i)::toString);
    }
  }

  @ParameterizedTest(name = "{0} reporting {1} MiB has {2} GiB")
  @CsvSource({
    "H100, 81559, 80",
    "A10, 23028, 24",
    "RTX4090, 24564, 24",
    "A100, 40960, 40",
    "A100, 81920, 80",
    "Unknown, 10000, 10",
    "Unknown, 2560, 2"
  })
  void roundsGpuMemoryToTheSizeTheModelIsSoldWith(String name, long reportedMib, long gib) {
    assertEquals(gib, HostResources.correctedMemoryGib(name, reportedMib));
  }

  @Test
  void aHostsResourcesAreWhatItsShimReports() {
    var gpu = new GpuInfo("nvidia", "NVIDIA H100 80GB HBM3", 81559, "550.54", "GPU-1");
    var host = HostInfo.of(List.of(gpu, gpu), List.of("10.0.0.5/24"), 500L << 30, 16, 64L << 30);

    var resources = HostResources.of(host);

    assertEquals(
        new InstanceResources(
            16,
            64 * 1024,
            List.of(
                new InstanceResources.Gpu("nvidia", "H100", 80 * 1024),
                new InstanceResources.Gpu("nvidia", "H100", 80 * 1024)),
            500 * 1024,
            false),
        resources);
  }

  @Test
  void aHostWithoutGpusHasNone() {
    var host = HostInfo.of(List.of(), List.of(), 100L << 30, 2, 8L << 30);

    assertEquals(List.of(), HostResources.of(host).gpus());
  }
}
