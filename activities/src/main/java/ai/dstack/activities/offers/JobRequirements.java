package ai.dstack.activities.offers;

import ai.dstack.core.resources.ResourcesSpec;
import java.util.Locale;

/**
 * What a job asks of the instance it runs on: dstack's {@code Requirements}, as the server derives
 * them from the run's configuration and profile.
 *
 * @param resources the resources; the server sets {@code cpu.arch} as dstack does (x86 for dstack's
 *     default images, the image's only architecture otherwise)
 * @param spot true for spot instances only, false for on-demand only, null for either ({@code
 *     spot_policy: auto})
 * @param maxPrice the most dollars per hour the job may cost, or null for no limit
 * @param multinode whether the job is one node of several: it then takes whole instances only
 */
public record JobRequirements(
    ResourcesSpec resources, Boolean spot, Double maxPrice, boolean multinode) {

  public JobRequirements {
    if (resources == null) {
      throw new IllegalArgumentException("requirements need resources");
    }
  }

  /** One node asking for these resources, any spot policy, any price. */
  public static JobRequirements of(ResourcesSpec resources) {
    return new JobRequirements(resources, null, null, false);
  }

  /**
   * dstack's mapping of a {@code spot_policy} to the requirement: {@code spot} → true, {@code
   * on-demand} → false, {@code auto} → null (either).
   */
  public static Boolean spot(String spotPolicy) {
    if (spotPolicy == null) {
      return null;
    }
    return switch (spotPolicy.toLowerCase(Locale.ROOT)) {
      case "spot" -> true;
      case "on-demand" -> false;
      case "auto" -> null;
      default -> throw new IllegalArgumentException("unknown spot_policy " + spotPolicy);
    };
  }
}
