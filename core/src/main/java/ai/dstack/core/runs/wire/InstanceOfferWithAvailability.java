package ai.dstack.core.runs.wire;

import ai.dstack.core.runs.InstanceOffer;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;

/**
 * An offer in a plan or a job's runtime data, dstack's {@code InstanceOfferWithAvailability}.
 *
 * @param backend a backend type dstack knows ({@link BackendTypes#toWire})
 * @param availability unknown, available, not_available, no_quota, no_balance, idle or busy
 * @param instanceRuntime shim (a container is started) or runner (the job runs on the host)
 * @param blocks how many of the instance's blocks the offer takes
 * @param totalBlocks how many blocks the instance is split into
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record InstanceOfferWithAvailability(
    String backend,
    InstanceType instance,
    String region,
    double price,
    Map<String, Object> backendData,
    String availability,
    List<String> availabilityZones,
    String instanceRuntime,
    int blocks,
    int totalBlocks) {

  public InstanceOfferWithAvailability {
    backend = WireValues.backend(backend, false);
    backendData = backendData == null ? Map.of() : Map.copyOf(backendData);
    availability = WireValues.check("availability", availability, WireValues.AVAILABILITIES, false);
    availabilityZones = availabilityZones == null ? null : List.copyOf(availabilityZones);
    instanceRuntime =
        WireValues.check(
            "instance_runtime",
            instanceRuntime == null ? "shim" : instanceRuntime,
            WireValues.INSTANCE_RUNTIMES,
            false);
  }

  /**
   * One of our offers on the wire: its backend as dstack knows it ({@code remote} for ours), an
   * unknown availability as {@code unknown}.
   *
   * @param cpuArch the instance's CPU architecture, or null when unknown
   */
  public static InstanceOfferWithAvailability of(InstanceOffer offer, String cpuArch) {
    var availability =
        WireValues.AVAILABILITIES.contains(offer.availability()) ? offer.availability() : "unknown";
    return new InstanceOfferWithAvailability(
        BackendTypes.toWire(offer.backend()),
        InstanceType.of(offer.instanceType(), offer.resources(), cpuArch),
        offer.region(),
        offer.price(),
        Map.of(),
        availability,
        null,
        "shim",
        offer.blocks(),
        offer.totalBlocks());
  }
}
