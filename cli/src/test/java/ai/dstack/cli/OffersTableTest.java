package ai.dstack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.dstack.core.api.gpus.GpuGroup;
import ai.dstack.core.api.gpus.Range;
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
  void gpuGroupsPrintOneRowPerGroupWithCountAndPriceRangesAndTheirBackendsAndRegions() {
    var groups =
        List.of(
            new GpuGroup(
                "A100",
                40 * 1024,
                "nvidia",
                List.of("available"),
                List.of("spot"),
                new Range<>(1, 1),
                new Range<>(1.5, 1.5),
                new Range<>(1.5, 1.5),
                null,
                "gcp",
                List.of("us-central1"),
                null),
            new GpuGroup(
                "A100",
                40 * 1024,
                "nvidia",
                List.of("available"),
                List.of("on-demand"),
                new Range<>(2, 4),
                new Range<>(2.0, 2.5),
                new Range<>(4.0, 10.0),
                null,
                "aws",
                List.of("us-east-1", "us-west-2"),
                null));

    var text = new StringWriter();
    GpuGroups.print(new PrintWriter(text), groups);
    assertEquals(
        """
        #  GPU             SPOT       $/GPU   BACKEND  REGIONS
        1  A100:40GB:1     spot       1.5     gcp      us-central1
        2  A100:40GB:2..4  on-demand  2..2.5  aws      us-east-1, us-west-2
        """,
        text.toString());
  }
}
