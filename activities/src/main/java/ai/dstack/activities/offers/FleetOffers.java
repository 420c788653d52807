package ai.dstack.activities.offers;

import ai.dstack.core.configurations.Blocks;
import ai.dstack.core.runs.InstanceOffer;
import ai.dstack.core.runs.InstanceResources;
import ai.dstack.workflows.fleets.FleetInstance;
import ai.dstack.workflows.fleets.FleetView;
import ai.dstack.workflows.offers.OfferList;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Collectors;

/**
 * Offers on a fleet's existing instances, found as dstack 0.22.5 finds them ({@code
 * filter_instances} and {@code get_shared_instances_with_offers}): an instance split into N blocks
 * offers shares of 1..N blocks (whole instances only for a multi-node job), each getting its
 * blocks' part of the CPUs, memory and GPUs and the whole disk, and a job takes the smallest share
 * that meets its requirements. One offer per instance, cheapest first; when none fits, the reason
 * says which requirement each instance fails and what the fleet has.
 *
 * <p>Unlike dstack, a share's price is its part of the instance's price (dstack charges the whole
 * instance's price for any share); {@link InstanceOffer#price()} is per share.
 */
public final class FleetOffers {
  private FleetOffers() {}

  /** The availability of an offer whose instance's busy blocks are not known here. */
  public static final String AVAILABLE = "available";

  /** dstack's availability of a share the instance has room for now. */
  public static final String IDLE = "idle";

  /** dstack's availability of a share the instance has no room for now. */
  public static final String BUSY = "busy";

  /** How many instances a reason names before it counts the rest. */
  private static final int INSTANCES_NAMED = 3;

  /**
   * The offers for a job, for {@code findOffers}: availability {@value #AVAILABLE}, since the fleet
   * workflow, which grants the blocks, decides when a share has room.
   */
  public static OfferList match(
      JobRequirements requirements, String fleetName, List<FleetInstance> instances) {
    return offers(
        requirements,
        fleetName,
        instances.stream().map(i -> new FleetView.InstanceUse(i, -1)).toList());
  }

  /**
   * The offers for a run's plan ({@code runs/get_plan}): as {@link #match}, each with dstack's
   * availability from the instance's busy blocks, {@value #IDLE} or {@value #BUSY}.
   */
  public static OfferList plan(
      JobRequirements requirements, String fleetName, List<FleetView.InstanceUse> instances) {
    return offers(requirements, fleetName, instances);
  }

  /** The fewest blocks of the instance that meet the requirements, or empty when none do. */
  public static OptionalInt smallestShare(JobRequirements requirements, FleetInstance instance) {
    var total = instance.totalBlocks();
    for (int blocks = minBlocks(requirements, instance); blocks <= total; blocks++) {
      if (ShareCheck.firstUnmet(requirements, share(instance, blocks), price(instance, blocks))
          == null) {
        return OptionalInt.of(blocks);
      }
    }
    return OptionalInt.empty();
  }

  /**
   * What {@code blocks} of an instance split into {@code totalBlocks} get (dstack's {@code
   * generate_shared_offer}): that part of the CPUs, memory and GPUs, rounded down, and the whole
   * disk.
   */
  public static InstanceResources share(InstanceResources whole, int blocks, int totalBlocks) {
    if (blocks < 1 || blocks > totalBlocks) {
      throw new IllegalArgumentException(
          "a share takes 1 to " + totalBlocks + " blocks, not " + blocks);
    }
    var gpus = whole.gpus().size() / totalBlocks * blocks;
    return new InstanceResources(
        whole.cpus() / totalBlocks * blocks,
        whole.memoryMib() / totalBlocks * blocks,
        whole.gpus().subList(0, gpus),
        whole.diskMib(),
        whole.spot());
  }

  /**
   * How many blocks a fleet's {@code blocks} setting splits an instance into (dstack's {@code
   * is_divisible_into_blocks}): {@code auto} is as many as both its CPUs and GPUs divide into (a
   * TPU counts as one GPU, as TPUs cannot be shared).
   *
   * @throws IllegalArgumentException when the instance's CPUs or GPUs do not divide into that many
   */
  public static int totalBlocks(Blocks blocks, InstanceResources resources) {
    var cpus = resources.cpus();
    var gpus = resources.gpus().size();
    if (gpus > 0 && "google".equalsIgnoreCase(resources.gpus().getFirst().vendor())) {
      gpus = 1;
    }
    long count =
        blocks == null || blocks.isAuto()
            ? (gpus == 0 ? cpus : Math.min(cpus, gpus))
            : blocks.count();
    if (count < 1 || cpus % count != 0 || gpus % count != 0) {
      throw new IllegalArgumentException(
          "an instance with %d CPUs and %d GPUs cannot be split into %d blocks: blocks must divide both"
              .formatted(cpus, gpus, count));
    }
    return (int) count;
  }

  private static OfferList offers(
      JobRequirements requirements, String fleetName, List<FleetView.InstanceUse> instances) {
    List<InstanceOffer> offers = new ArrayList<>();
    List<String> reasons = new ArrayList<>();
    for (var use : instances) {
      var instance = use.instance();
      var blocks = smallestShare(requirements, instance);
      if (blocks.isPresent()) {
        offers.add(offer(instance, blocks.getAsInt(), fleetName, use.busyBlocks()));
      } else {
        reasons.add(explain(requirements, instance));
      }
    }
    // dstack sorts a fleet's offers by price, keeping the fleet's order among equals
    offers.sort(Comparator.comparingDouble(InstanceOffer::price));
    var reason =
        offers.isEmpty()
            ? noOffers(
                fleetName,
                instances.stream().map(FleetView.InstanceUse::instance).toList(),
                reasons)
            : null;
    return new OfferList(offers, reason);
  }

  private static InstanceOffer offer(
      FleetInstance instance, int blocks, String fleetName, int busyBlocks) {
    String availability;
    if (busyBlocks < 0) {
      availability = AVAILABLE;
    } else {
      availability = blocks <= instance.totalBlocks() - busyBlocks ? IDLE : BUSY;
    }
    return new InstanceOffer(
        instance.backend(),
        instance.instanceType(),
        share(instance, blocks),
        instance.region(),
        price(instance, blocks),
        availability,
        blocks,
        instance.totalBlocks(),
        fleetName,
        instance.instanceId(),
        instance.instanceName());
  }

  private static int minBlocks(JobRequirements requirements, FleetInstance instance) {
    return requirements.multinode() ? instance.totalBlocks() : 1;
  }

  private static InstanceResources share(FleetInstance instance, int blocks) {
    return share(instance.resources(), blocks, instance.totalBlocks());
  }

  private static double price(FleetInstance instance, int blocks) {
    return instance.price() * blocks / instance.totalBlocks();
  }

  /**
   * Why no share of the instance fits: the first requirement the whole instance fails, and when it
   * has too much of something, what its smallest share lacks.
   */
  static String explain(JobRequirements requirements, FleetInstance instance) {
    var total = instance.totalBlocks();
    var whole = ShareCheck.firstUnmet(requirements, instance.resources(), instance.price());
    var name = "instance " + instance.instanceName();
    if (whole == null) {
      // not reached: smallestShare would have offered the whole instance
      return name + " fits the job as a whole";
    }
    var text = "the job asks for " + whole.asks() + " but " + name + " " + whole.has();
    var min = minBlocks(requirements, instance);
    if (whole.tooMuch() && total > min) {
      var small = ShareCheck.firstUnmet(requirements, share(instance, min), price(instance, min));
      if (small != null) {
        text += ", and its smallest share (" + min + " of " + total + " blocks) " + small.has();
        if (!small.asks().equals(whole.asks())) {
          text += " where the job asks for " + small.asks();
        }
      }
    }
    return text;
  }

  private static String noOffers(
      String fleetName, List<FleetInstance> instances, List<String> reasons) {
    if (instances.isEmpty()) {
      return "fleet " + fleetName + " has no instances";
    }
    var text = new StringBuilder();
    text.append(String.join("; ", reasons.subList(0, Math.min(INSTANCES_NAMED, reasons.size()))));
    if (reasons.size() > INSTANCES_NAMED) {
      text.append("; and ")
          .append(reasons.size() - INSTANCES_NAMED)
          .append(" more instances do not fit either");
    }
    text.append("; fleet ").append(fleetName).append(" offers ");
    if (instances.size() == 1) {
      text.append(whole(instances.getFirst()));
    } else {
      text.append(
          instances.stream()
              .limit(INSTANCES_NAMED)
              .map(i -> i.instanceName() + " (" + whole(i) + ")")
              .collect(Collectors.joining(", ")));
      if (instances.size() > INSTANCES_NAMED) {
        text.append(" and ").append(instances.size() - INSTANCES_NAMED).append(" more");
      }
    }
    return text.toString();
  }

  /** e.g. {@code 2xCPU, 8GB, 100.0GB (disk) in 2 blocks}. */
  private static String whole(FleetInstance instance) {
    var text = instance.resources().describe();
    return instance.totalBlocks() > 1 ? text + " in " + instance.totalBlocks() + " blocks" : text;
  }
}
