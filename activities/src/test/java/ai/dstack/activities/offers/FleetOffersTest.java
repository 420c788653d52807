package ai.dstack.activities.offers;

import static ai.dstack.activities.offers.MatchingCases.instance;
import static ai.dstack.activities.offers.MatchingCases.resources;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.core.configurations.Blocks;
import ai.dstack.core.runs.InstanceOffer;
import ai.dstack.core.runs.InstanceResources;
import ai.dstack.workflows.fleets.FleetInstance;
import ai.dstack.workflows.fleets.FleetView;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class FleetOffersTest {

  static List<MatchingCases.Case> cases() {
    return MatchingCases.ALL;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void aJobTakesTheSmallestShareThatMeetsItsRequirements(MatchingCases.Case c) {
    var list = FleetOffers.match(c.requirements(), "local", List.of(c.instance()));

    if (c.expected() == null) {
      assertEquals(List.of(), list.offers());
      assertTrue(list.reason() != null && !list.reason().isBlank());
      return;
    }
    assertNull(list.reason());
    var offer = list.offers().getFirst();
    assertEquals(c.expected(), offer.blocks());
    assertEquals(c.blocks(), offer.totalBlocks());
    assertEquals(
        FleetOffers.share(c.instance().resources(), c.expected(), c.blocks()), offer.resources());
    assertEquals(FleetOffers.AVAILABLE, offer.availability());
    assertEquals("local", offer.fleetName());
    assertEquals(c.instance().instanceId(), offer.instanceId());
  }

  @Test
  void aShareGetsItsPartOfTheCpusMemoryAndGpusAndTheWholeDisk() {
    var whole = MatchingCases.HOSTS.get("a10x4");

    var share = FleetOffers.share(whole, 1, 4);

    assertEquals(4, share.cpus());
    assertEquals(16 * 1024, share.memoryMib());
    assertEquals(1, share.gpus().size());
    assertEquals(whole.diskMib(), share.diskMib());
  }

  static Stream<Arguments> reasons() {
    return Stream.of(
        Arguments.of(
            "{cpu: 16..}", "cpu-8", 1, "the job asks for 16.. CPUs but instance cpu-8 has 8 CPUs"),
        Arguments.of(
            "{memory: 64GB}",
            "cpu-8",
            1,
            "the job asks for 64GB memory but instance cpu-8 has 32GB memory"),
        Arguments.of(
            "{disk: 300GB..}",
            "cpu-8",
            1,
            "the job asks for 300GB.. disk but instance cpu-8 has 200GB disk"),
        Arguments.of(
            "{cpu: arm:2..}",
            "cpu-8",
            1,
            "the job asks for arm CPUs but instance cpu-8 has x86 CPUs"),
        Arguments.of(
            "{gpu: {compute_capability: 9.0}}",
            "a10x4",
            1,
            "the job asks for 1.. GPUs (compute capability 9.0 or higher) but instance a10x4 has"
                + " 4xA10 (24GB) of compute capability 8.6"),
        Arguments.of(
            "{gpu: amd}",
            "h100x2",
            1,
            "the job asks for 1.. GPUs (amd) but instance h100x2 has 2xH100 (nvidia, 80GB)"),
        Arguments.of(
            "{gpu: A100:80GB:8}",
            "h100x2",
            1,
            "the job asks for 8 GPUs (A100, 80GB each) but instance h100x2 has 2xH100 (80GB)"),
        Arguments.of(
            "{gpu: {total_memory: 100GB..}}",
            "a10x4",
            4,
            "the job asks for 1.. GPUs (100GB.. in total) but instance a10x4 has 4xA10 (24GB)"),
        Arguments.of(
            "{cpu: ..2}", "cpu-8", 1, "the job asks for ..2 CPUs but instance cpu-8 has 8 CPUs"),
        Arguments.of(
            "{memory: ..8GB, cpu: 3..}",
            "cpu-8",
            4,
            "the job asks for ..8GB memory but instance cpu-8 has 32GB memory, and its smallest"
                + " share (1 of 4 blocks) has 2 CPUs where the job asks for 3.. CPUs"),
        Arguments.of(
            "{gpu: H100:1, cpu: 16}",
            "h100x2",
            2,
            "the job asks for 1 GPU (H100) but instance h100x2 has 2xH100 (80GB), and its smallest"
                + " share (1 of 2 blocks) has 8 CPUs where the job asks for 16 CPUs"),
        Arguments.of(
            "{shm_size: 32GB}",
            "small",
            1,
            "the job asks for 32GB of shared memory (shm_size) but instance small has 23GB memory"));
  }

  @ParameterizedTest(name = "{0} on {1} in {2} blocks")
  @MethodSource("reasons")
  void theReasonNamesTheRequirementNotMetAndWhatTheInstanceHas(
      String resources, String host, int blocks, String reason) {
    var list =
        FleetOffers.match(
            JobRequirements.of(resources(resources)), "local", List.of(instance(host, blocks, 0)));

    assertEquals(List.of(), list.offers());
    assertTrue(list.reason().startsWith(reason + "; fleet local offers "), list.reason());
  }

  @Test
  void theReasonSaysWhatTheFleetOffers() {
    var list =
        FleetOffers.match(
            JobRequirements.of(resources("{cpu: 2.., memory: 8GB.., gpu: H100:1..2}")),
            "local",
            List.of(instance("small", 1, 0)));

    assertEquals(
        "the job asks for 1..2 GPUs (H100) but instance small has no GPU;"
            + " fleet local offers 2xCPU, 23GB, 100.0GB (disk)",
        list.reason());
  }

  @Test
  void theReasonCoversEveryInstanceOfAFleet() {
    var list =
        FleetOffers.match(
            JobRequirements.of(resources("{gpu: H100:8}")),
            "mixed",
            List.of(instance("cpu-8", 1, 0), instance("a10x4", 4, 0)));

    assertEquals(
        "the job asks for 8 GPUs (H100) but instance cpu-8 has no GPU;"
            + " the job asks for 8 GPUs (H100) but instance a10x4 has 4xA10 (24GB);"
            + " fleet mixed offers cpu-8 (8xCPU, 32GB, 200.0GB (disk)),"
            + " a10x4 (16xCPU, 64GB, 4xA10 (24GB), 500.0GB (disk) in 4 blocks)",
        list.reason());
  }

  @Test
  void aFleetWithoutInstancesSaysSo() {
    var list = FleetOffers.match(JobRequirements.of(resources("{}")), "local", List.of());

    assertEquals("fleet local has no instances", list.reason());
  }

  @Test
  void offersAreCheapestFirstAndASharePaysItsPart() {
    var dear = instance("cpu-8", 1, 3.0);
    var cheap = withId(instance("h100x2", 2, 1.0), "cheap");
    var middle = withId(instance("a10x4", 4, 8.0), "middle");

    var offers =
        FleetOffers.match(JobRequirements.of(resources("{}")), "f", List.of(dear, cheap, middle))
            .offers();

    assertEquals(
        List.of("cheap", "middle", "id-cpu-8"),
        offers.stream().map(InstanceOffer::instanceId).toList());
    assertEquals(List.of(0.5, 2.0, 3.0), offers.stream().map(InstanceOffer::price).toList());
  }

  @Test
  void maxPriceAppliesToTheSharesPrice() {
    // dstack would compare the whole instance's $1.2/h with the max price; a share pays its part
    var requirements = new JobRequirements(resources("{}"), null, 0.7, false);

    var offers = FleetOffers.match(requirements, "f", List.of(instance("cpu-8", 2, 1.2))).offers();

    assertEquals(1, offers.getFirst().blocks());
    assertEquals(0.6, offers.getFirst().price(), 1e-9);
  }

  @Test
  void thePlanSaysWhetherTheInstanceHasRoomNow() {
    var requirements = JobRequirements.of(resources("{gpu: H100:1}"));
    var shared = instance("h100x2", 2, 0);

    assertEquals(FleetOffers.IDLE, planned(requirements, shared, 0));
    assertEquals(FleetOffers.IDLE, planned(requirements, shared, 1));
    assertEquals(FleetOffers.BUSY, planned(requirements, shared, 2));
    var whole = instance("cpu-8", 1, 0);
    assertEquals(FleetOffers.IDLE, planned(JobRequirements.of(resources("{}")), whole, 0));
    assertEquals(FleetOffers.BUSY, planned(JobRequirements.of(resources("{}")), whole, 1));
  }

  private static String planned(JobRequirements requirements, FleetInstance instance, int busy) {
    return FleetOffers.plan(requirements, "f", List.of(new FleetView.InstanceUse(instance, busy)))
        .offers()
        .getFirst()
        .availability();
  }

  static List<MatchingCases.BlocksCase> blocks() {
    return MatchingCases.BLOCKS;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("blocks")
  void blocksSplitAnInstanceAsDstackDoes(MatchingCases.BlocksCase c) {
    var host =
        new InstanceResources(
            c.cpus(),
            1024,
            Collections.nCopies(c.gpus(), MatchingCases.gpu("nvidia", "A10", 24)),
            0,
            false);
    var blocks = c.blocks().equals("auto") ? Blocks.AUTO : new Blocks(Long.parseLong(c.blocks()));

    if (c.expected() == null) {
      var e =
          assertThrows(IllegalArgumentException.class, () -> FleetOffers.totalBlocks(blocks, host));
      assertTrue(e.getMessage().contains("cannot be split into"), e::getMessage);
    } else {
      assertEquals(c.expected(), FleetOffers.totalBlocks(blocks, host));
    }
  }

  @Test
  void aTpuHostIsNotShared() {
    var tpu =
        new InstanceResources(
            8,
            1024,
            Collections.nCopies(4, MatchingCases.gpu("google", "v5litepod", 16)),
            0,
            false);

    assertEquals(1, FleetOffers.totalBlocks(Blocks.AUTO, tpu));
  }

  private static FleetInstance withId(FleetInstance i, String id) {
    return new FleetInstance(
        id,
        i.instanceName(),
        i.backend(),
        i.instanceType(),
        i.region(),
        i.hostname(),
        i.shimPort(),
        i.price(),
        i.resources(),
        i.totalBlocks());
  }
}
