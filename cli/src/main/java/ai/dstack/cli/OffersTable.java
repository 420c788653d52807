package ai.dstack.cli;

import ai.dstack.core.runs.wire.InstanceOfferWithAvailability;
import ai.dstack.core.runs.wire.InstanceType;
import java.io.PrintWriter;
import java.util.List;

/**
 * The offers table of {@code dstack offer} and of a run plan, as dstack prints it: {@code #},
 * {@code BACKEND}, {@code RESOURCES}, {@code INSTANCE TYPE}, {@code PRICE} and the availability
 * when it is not plain "available", then "Shown N of M offers" when the list was cut.
 */
final class OffersTable {
  private OffersTable() {}

  /**
   * Prints {@code offers} (already cut to what is shown) of {@code totalOffers}.
   *
   * @param maxPrice the highest price of all offers, for the "Shown N of M" line
   */
  static void print(
      PrintWriter out,
      List<InstanceOfferWithAvailability> offers,
      int totalOffers,
      Double maxPrice) {
    var table = new Table("#", "BACKEND", "RESOURCES", "INSTANCE TYPE", "PRICE", "");
    int i = 1;
    for (var offer : offers) {
      var instance = offer.instance().name();
      if (offer.totalBlocks() > 1) {
        instance += " (" + offer.blocks() + "/" + offer.totalBlocks() + ")";
      }
      table.row(
          i++,
          Pretty.backend(offer.backend(), offer.region()),
          resources(offer.instance().resources()),
          instance,
          Pretty.price(offer.price()),
          availability(offer.availability()));
    }
    boolean cut = totalOffers > offers.size();
    if (cut) {
      table.row("", "...", "", "", "", "");
    }
    table.print(out);
    if (cut) {
      out.println(
          Terminal.dim(
              " Shown "
                  + offers.size()
                  + " of "
                  + totalOffers
                  + " offers, "
                  + Pretty.price(maxPrice == null ? 0 : maxPrice)
                  + " max"));
    }
    out.flush();
  }

  /** An offer's resources, with {@code (spot)} for a spot instance. */
  private static String resources(InstanceType.Resources resources) {
    var text = Pretty.resources(resources);
    return resources.spot() ? text + " (spot)" : text;
  }

  /** The availability, empty for "available" and "unknown" (the usual case). */
  static String availability(String availability) {
    if (availability == null
        || availability.equals("available")
        || availability.equals("unknown")) {
      return "";
    }
    return availability.replace('_', ' ');
  }
}
