package ai.dstack.orchestrator.gpus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.dstack.core.api.gpus.GpuGroup;
import ai.dstack.core.api.gpus.Range;
import ai.dstack.core.runs.wire.InstanceOfferWithAvailability;
import ai.dstack.core.runs.wire.InstanceType;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Offers grouped as dstack's {@code gpus/list} groups them. */
class GpuGroupsTest {

  private static InstanceOfferWithAvailability offer(
      String backend,
      String region,
      String gpu,
      int gpus,
      double price,
      String availability,
      boolean spot) {
    var resources =
        new InstanceType.Resources(
            gpus == 0 ? 4 : 8 * gpus,
            gpus == 0 ? 16_384 : 65_536L * gpus,
            Collections.nCopies(gpus, new InstanceType.Gpu(gpu, 81_920, "nvidia")),
            spot,
            null,
            "x86",
            "");
    return new InstanceOfferWithAvailability(
        backend,
        new InstanceType("type-" + gpus, resources),
        region,
        price,
        Map.of(),
        availability,
        null,
        "shim",
        1,
        1);
  }

  private static final List<InstanceOfferWithAvailability> OFFERS =
      List.of(
          offer("aws", "us-east-1", "H100", 8, 80.0, "available", false),
          offer("aws", "us-west-2", "H100", 1, 12.0, "available", false),
          offer("gcp", "us-central1", "H100", 1, 9.0, "available", true),
          offer("gcp", "us-central1", "A100", 2, 8.0, "not_available", false),
          offer("aws", "us-east-1", "L4", 1, 1.0, "available", false),
          offer("aws", "us-east-1", null, 0, 0.5, "available", false));

  private static List<String> describe(List<GpuGroup> groups) {
    return groups.stream()
        .map(
            g ->
                g.name()
                    + " "
                    + g.count().min()
                    + ".."
                    + g.count().max()
                    + " "
                    + (g.backend() != null ? g.backend() : g.backends())
                    + (g.region() != null ? " " + g.region() : "")
                    + (g.regions() != null ? " " + g.regions() : ""))
        .toList();
  }

  @Test
  void withoutGroupingEachGpuIsOneRowCheapestPerGpuFirstAvailableFirst() {
    var groups = GpuGroups.gpus(OFFERS, Set.of(), false);

    assertEquals(
        List.of("L4 1..1 [aws]", "H100 1..8 [aws, gcp]", "A100 2..2 [gcp]"), describe(groups));
    var h100 = groups.get(1);
    assertEquals(new Range<>(9.0, 12.0), h100.price());
    assertEquals(new Range<>(9.0, 80.0), h100.offerPrice());
    assertEquals(List.of("on-demand", "spot"), h100.spot());
    assertEquals(List.of("available"), h100.availability());
    assertEquals("nvidia", h100.vendor());
    assertEquals(81_920, h100.memoryMib());
    assertNull(h100.backend());
    assertNull(h100.region());
  }

  @Test
  void byBackendRegionAndCountEachCombinationIsItsOwnRow() {
    assertEquals(
        List.of(
            "L4 1..1 aws [us-east-1, us-west-2]",
            "H100 1..1 gcp [us-central1]",
            "H100 1..8 aws [us-east-1, us-west-2]",
            "A100 2..2 gcp [us-central1]"),
        describe(GpuGroups.gpus(OFFERS, Set.of("backend"), false)));
    assertEquals(
        List.of(
            "L4 1..1 aws us-east-1",
            "H100 1..1 gcp us-central1",
            "H100 8..8 aws us-east-1",
            "H100 1..1 aws us-west-2",
            "A100 2..2 gcp us-central1"),
        describe(GpuGroups.gpus(OFFERS, Set.of("backend", "region"), false)));
    assertEquals(
        List.of("L4 1..1 [aws]", "H100 1..1 [aws, gcp]", "H100 8..8 [aws]", "A100 2..2 [gcp]"),
        describe(GpuGroups.gpus(OFFERS, Set.of("count"), false)));
  }

  @Test
  void reverseShowsTheDearestWholeOffersFirstStillAvailableFirst() {
    assertEquals(
        List.of("H100 1..8 [aws, gcp]", "L4 1..1 [aws]", "A100 2..2 [gcp]"),
        describe(GpuGroups.gpus(OFFERS, Set.of(), true)));
  }

  @Test
  void cpuOnlyOffersAreGroupedByWhatTheyHave() {
    var cpus = GpuGroups.cpus(OFFERS, Set.of("backend"), false);

    assertEquals(1, cpus.size());
    var group = cpus.getFirst();
    assertEquals("aws", group.backend());
    assertEquals(List.of("us-east-1"), group.regions());
    assertEquals(new Range<>(4, 4), group.count());
    assertEquals(new Range<>(16_384L, 16_384L), group.memoryMib());
    assertEquals(new Range<>(0.5, 0.5), group.price());
    assertEquals(List.of("x86"), group.cpuArch());
    assertEquals(List.of("on-demand"), group.spot());
    assertNull(group.backends());
  }

  @Test
  void regionWithoutBackendIsRefusedAsDstackRefusesIt() {
    var refused =
        assertThrows(IllegalArgumentException.class, () -> GpuGroups.groupBy(List.of("region")));

    assertEquals(
        "Cannot group by 'region' without also grouping by 'backend'", refused.getMessage());
    assertEquals(Set.of("backend", "count"), GpuGroups.groupBy(List.of("count", "backend")));
  }
}
