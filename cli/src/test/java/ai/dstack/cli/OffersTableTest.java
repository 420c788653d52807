package ai.dstack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.dstack.core.runs.wire.InstanceOfferWithAvailability;
import ai.dstack.core.runs.wire.InstanceType;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The offers and GPU tables as dstack prints them, from offers made up here. */
class OffersTableTest {

  private static InstanceOfferWithAvailability offer(
      String backend,
      String region,
      String type,
      int gpus,
      boolean spot,
      double price,
      String availability) {
    var gpu = new InstanceType.Gpu("A100", 40 * 1024, "nvidia");
    var resources =
        new InstanceType.Resources(
            8,
            32 * 1024,
            java.util.Collections.nCopies(gpus, gpu),
            spot,
            new InstanceType.Disk(100 * 1024),
            "x86",
            "");
    return new InstanceOfferWithAvailability(
        backend,
        new InstanceType(type, resources),
        region,
        price,
        Map.of(),
        availability,
        null,
        "shim",
        1,
        1);
  }

  @Test
  void aCutListEndsWithAnEllipsisRowAndHowManyOffersThereAre() {
    var text = new StringWriter();
    OffersTable.print(
        new PrintWriter(text),
        List.of(
            offer("aws", "us-east-1", "p4d", 2, false, 2.5, "available"),
            offer("remote", "local", "host", 1, true, 0.12345, "no_quota")),
        7,
        12.0);

    assertEquals(
        """
        #  BACKEND          RESOURCES                                             INSTANCE TYPE  PRICE
        1  aws (us-east-1)  cpu=x86:8 mem=32GB disk=100GB gpu=A100:40GB:2         p4d            $2.5
        2  ssh (local)      cpu=x86:8 mem=32GB disk=100GB gpu=A100:40GB:1 (spot)  host           $0.1235  no quota
           ...
         Shown 2 of 7 offers, $12 max
        """,
        text.toString());
  }

  @Test
  void gpuGroupsMergeCountsAndPricesPerGpuAcrossBackends() {
    var offers =
        List.of(
            offer("aws", "us-east-1", "p4d", 2, false, 4.0, "available"),
            offer("gcp", "us-central1", "a2", 1, true, 1.5, "available"),
            offer("aws", "us-west-2", "p4d", 4, false, 10.0, "available"));

    var groups = GpuGroups.of(offers, List.of("gpu"));

    assertEquals(1, groups.size());
    var group = groups.getFirst();
    assertEquals(1, group.count().min());
    assertEquals(4, group.count().max());
    assertEquals(1.5, group.price().min());
    assertEquals(2.5, group.price().max());
    assertEquals(List.of("aws", "gcp"), group.backends());
    assertEquals(List.of("on-demand", "spot"), group.spot());

    var text = new StringWriter();
    GpuGroups.print(new PrintWriter(text), GpuGroups.of(offers, List.of("gpu", "backend")));
    assertEquals(
        """
        #  GPU             SPOT       $/GPU   BACKEND  REGIONS
        1  A100:40GB:1     spot       1.5     gcp      us-central1
        2  A100:40GB:2..4  on-demand  2..2.5  aws      us-east-1, us-west-2
        """,
        text.toString());
  }
}
