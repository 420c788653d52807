package ai.dstack.cli;

import ai.dstack.core.runs.wire.InstanceOfferWithAvailability;
import ai.dstack.core.runs.wire.InstanceType;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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
          backend(offer.backend(), offer.region()),
          resources(offer.instance().resources(), true),
          instance,
          price(offer.price()),
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
                  + price(maxPrice == null ? 0 : maxPrice)
                  + " max"));
    }
    out.flush();
  }

  /** A backend as dstack shows it: {@code remote} (SSH and local hosts) as {@code ssh}. */
  static String backend(String backend, String region) {
    if (backend == null) {
      return "-";
    }
    var text = backend.equals("remote") ? "ssh" : backend;
    return region == null || region.isEmpty() ? text : text + " (" + region + ")";
  }

  /**
   * An instance's resources as dstack prints them, e.g. {@code cpu=x86:8 mem=32GB disk=100GB
   * gpu=A100:40GB:2}, with {@code (spot)} for a spot instance when asked.
   */
  static String resources(InstanceType.Resources resources, boolean includeSpot) {
    var parts = new ArrayList<String>();
    if (resources.cpus() > 0) {
      var arch =
          resources.cpuArch() == null ? "" : resources.cpuArch().toLowerCase(Locale.ROOT) + ":";
      parts.add("cpu=" + arch + resources.cpus());
    }
    if (resources.memoryMib() > 0) {
      parts.add("mem=" + gigabytes(resources.memoryMib()));
    }
    if (resources.disk() != null && resources.disk().sizeMib() > 0) {
      parts.add("disk=" + gigabytes(resources.disk().sizeMib()));
    }
    if (!resources.gpus().isEmpty()) {
      var gpu = resources.gpus().getFirst();
      var text = new StringBuilder("gpu=").append(gpu.name());
      if (gpu.memoryMib() > 0) {
        text.append(':').append(gigabytes(gpu.memoryMib()));
      }
      text.append(':').append(resources.gpus().size());
      parts.add(text.toString());
    }
    var text = String.join(" ", parts);
    return includeSpot && resources.spot() ? text + " (spot)" : text;
  }

  /** MiB as dstack shows them: GB to one decimal, without a trailing {@code .0}. */
  static String gigabytes(long mib) {
    var gb = BigDecimal.valueOf(mib).divide(BigDecimal.valueOf(1024), 1, RoundingMode.HALF_EVEN);
    return gb.stripTrailingZeros().toPlainString() + "GB";
  }

  /** A price in dollars per hour, to four decimals without trailing zeros: {@code $0.5}. */
  static String price(double price) {
    return "$" + stripZeros(String.format(Locale.ROOT, "%.4f", price));
  }

  /** A price limit as dstack shows it ({@code $1.25}), six decimals at most. */
  static String maxPrice(double price) {
    return "$" + stripZeros(String.format(Locale.ROOT, "%f", price));
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

  private static String stripZeros(String number) {
    if (!number.contains(".")) {
      return number;
    }
    var stripped = number.replaceAll("0+$", "");
    return stripped.endsWith(".") ? stripped.substring(0, stripped.length() - 1) : stripped;
  }
}
