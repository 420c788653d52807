package ai.dstack.activities.offers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.dstack.core.runs.InstanceResources;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/** Every matching case and blocks case of {@link MatchingCases}, answered by dstack itself. */
class FleetOffersOracleTest {

  @Test
  void dstackTakesTheSameShares() throws Exception {
    List<Map<String, Object>> questions = new ArrayList<>();
    for (var c : MatchingCases.ALL) {
      questions.add(Map.of("share", share(c)));
    }

    var answers = DstackOracle.ask(questions);

    List<String> disagreements = new ArrayList<>();
    for (int i = 0; i < answers.size(); i++) {
      var c = MatchingCases.ALL.get(i);
      var dstack = answers.get(i).isNull() ? null : answers.get(i).asInt();
      var ours = FleetOffers.smallestShare(c.requirements(), c.instance());
      Integer mine = ours.isPresent() ? ours.getAsInt() : null;
      if (!Objects.equals(dstack, mine) || !Objects.equals(c.expected(), mine)) {
        disagreements.add(c + ": dstack " + dstack + ", ours " + mine);
      }
    }
    assertEquals(List.of(), disagreements);
  }

  @Test
  void dstackSplitsHostsIntoTheSameBlocks() throws Exception {
    List<Map<String, Object>> questions = new ArrayList<>();
    for (var c : MatchingCases.BLOCKS) {
      Object blocks = c.blocks().equals("auto") ? "auto" : Integer.parseInt(c.blocks());
      questions.add(
          Map.of("total_blocks", Map.of("cpus", c.cpus(), "gpus", c.gpus(), "blocks", blocks)));
    }

    var answers = DstackOracle.ask(questions);

    for (int i = 0; i < answers.size(); i++) {
      var c = MatchingCases.BLOCKS.get(i);
      assertEquals(
          c.expected(), answers.get(i).isNull() ? null : answers.get(i).asInt(), c::toString);
    }
  }

  private static Map<String, Object> share(MatchingCases.Case c) {
    var host = c.instance().resources();
    Map<String, Object> instance = new LinkedHashMap<>();
    instance.put("cpus", host.cpus());
    instance.put("memory_mib", host.memoryMib());
    instance.put("gpus", host.gpus().stream().map(FleetOffersOracleTest::gpu).toList());
    instance.put("disk_mib", host.diskMib());
    instance.put("spot", host.spot());
    instance.put("price", c.instance().price());
    Map<String, Object> share = new LinkedHashMap<>();
    share.put("resources", c.resources());
    share.put("spot", c.spot());
    share.put("max_price", c.maxPrice());
    share.put("multinode", c.multinode());
    share.put("instance", instance);
    share.put("total_blocks", c.blocks());
    return share;
  }

  private static Map<String, Object> gpu(InstanceResources.Gpu gpu) {
    return Map.of("vendor", gpu.vendor(), "name", gpu.name(), "memory_mib", gpu.memoryMib());
  }
}
