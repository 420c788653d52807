package ai.dstack.cli;

import ai.dstack.core.runs.wire.InstanceOfferWithAvailability;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code dstack offer --group-by}: offers grouped by GPU (and backend, region, GPU count), as
 * dstack's server groups them for {@code gpus/list}, here done from the offers of {@code
 * runs/get_plan} (this server has no {@code gpus/list}). Offers without GPUs are not grouped.
 */
final class GpuGroups {
  private GpuGroups() {}

  /** The values {@code --group-by} takes. */
  static final Set<String> FIELDS = Set.of("gpu", "backend", "region", "count");

  /** A closed range of counts or prices. */
  record Range<T extends Number>(T min, T max) {}

  /**
   * One group, dstack's {@code GpuGroup}: {@code price} per GPU, {@code offer_price} per offer;
   * {@code backend}/{@code region} when grouped by them, else {@code backends}/{@code regions}.
   */
  record GpuGroup(
      String name,
      long memoryMib,
      String vendor,
      List<String> availability,
      List<String> spot,
      Range<Integer> count,
      Range<Double> price,
      Range<Double> offerPrice,
      List<String> backends,
      String backend,
      List<String> regions,
      String region) {}

  /** One GPU type of one backend, with the first offer that has it (dstack's BackendGpu). */
  private record BackendGpu(
      String name,
      long memoryMib,
      String vendor,
      String availability,
      boolean spot,
      int count,
      double price,
      String region) {}

  /** Groups {@code offers} by GPU and the fields of {@code groupBy}. */
  static List<GpuGroup> of(List<InstanceOfferWithAvailability> offers, List<String> groupBy) {
    boolean byBackend = groupBy.contains("backend");
    boolean byRegion = groupBy.contains("region");
    boolean byCount = groupBy.contains("count");

    // Per backend, in the order offers name them: its GPU configurations and regions.
    var gpusOf = new LinkedHashMap<String, Map<List<Object>, BackendGpu>>();
    var regionsOf = new LinkedHashMap<String, Set<String>>();
    for (var offer : offers) {
      var gpus = gpusOf.computeIfAbsent(offer.backend(), b -> new LinkedHashMap<>());
      regionsOf.computeIfAbsent(offer.backend(), b -> new TreeSet<>()).add(offer.region());
      var resources = offer.instance().resources();
      var types = new LinkedHashMap<List<Object>, Integer>();
      for (var gpu : resources.gpus()) {
        types.merge(gpuType(gpu.name(), gpu.memoryMib(), gpu.vendor()), 1, Integer::sum);
      }
      types.forEach(
          (type, count) -> {
            var key = new ArrayList<>(type);
            key.add(count);
            key.add(resources.spot());
            key.add(offer.region());
            gpus.putIfAbsent(
                key,
                new BackendGpu(
                    (String) type.get(0),
                    (Long) type.get(1),
                    (String) type.get(2),
                    offer.availability(),
                    resources.spot(),
                    count,
                    offer.price(),
                    offer.region()));
          });
    }

    var rows = new LinkedHashMap<List<Object>, Builder>();
    gpusOf.forEach(
        (backend, gpus) -> {
          var sorted =
              gpus.values().stream()
                  .sorted(
                      Comparator.comparing((BackendGpu g) -> !isAvailable(g.availability()))
                          .thenComparing(g -> Objects.toString(g.vendor(), ""))
                          .thenComparing(BackendGpu::name)
                          .thenComparingLong(BackendGpu::memoryMib))
                  .toList();
          for (var gpu : sorted) {
            var key = new ArrayList<Object>(gpuType(gpu.name(), gpu.memoryMib(), gpu.vendor()));
            if (byBackend) {
              key.add(backend);
            }
            if (byBackend && byRegion) {
              key.add(gpu.region());
            }
            if (byCount) {
              key.add(gpu.count());
            }
            var row = rows.get(key);
            if (row == null) {
              row = new Builder(gpu);
              if (byBackend) {
                row.backend = backend;
                if (byRegion) {
                  row.region = gpu.region();
                } else {
                  row.regions = new ArrayList<>(regionsOf.get(backend));
                }
              } else {
                row.backends = new ArrayList<>(List.of(backend));
              }
              rows.put(key, row);
            } else {
              row.add(gpu, backend);
            }
          }
        });

    Comparator<Builder> order =
        Comparator.comparing(
                (Builder b) -> b.availability.stream().noneMatch(GpuGroups::isAvailable))
            .thenComparingDouble(b -> b.priceMin)
            .thenComparingDouble(b -> b.priceMax);
    if (byBackend) {
      order = order.thenComparing(b -> b.backend);
      if (byRegion) {
        order = order.thenComparing(b -> b.region);
      }
    }
    if (byCount) {
      order = order.thenComparingInt(b -> b.countMin);
    }
    order = order.thenComparing(b -> b.name).thenComparingLong(b -> b.memoryMib);
    return rows.values().stream().sorted(order).map(Builder::build).toList();
  }

  /**
   * Prints the groups as dstack's GPU table: {@code #}, {@code GPU} (name:memory:count), {@code
   * SPOT}, {@code $/GPU}, the backends (and regions), and the availability when none is available.
   */
  static void print(PrintWriter out, List<GpuGroup> groups) {
    boolean singleBackend = groups.stream().anyMatch(g -> g.backend() != null);
    boolean singleRegion = groups.stream().anyMatch(g -> g.region() != null);
    boolean manyRegions =
        groups.stream().anyMatch(g -> g.regions() != null && !g.regions().isEmpty());
    String backendColumn = singleBackend ? "BACKEND" : "BACKENDS";
    String regionColumn =
        singleBackend && singleRegion ? "REGION" : singleBackend && manyRegions ? "REGIONS" : null;
    var headers = new ArrayList<>(List.of("#", "GPU", "SPOT", "$/GPU", backendColumn));
    if (regionColumn != null) {
      headers.add(regionColumn);
    }
    headers.add("");
    var table = new Table(headers.toArray(String[]::new));
    int i = 1;
    for (var group : groups) {
      var backends =
          group.backend() != null
              ? group.backend()
              : group.backends() == null ? "" : String.join(", ", group.backends());
      String regions = "";
      if (group.region() != null) {
        regions = group.region();
      } else if (group.regions() != null && !group.regions().isEmpty()) {
        regions =
            group.regions().size() <= 3
                ? String.join(", ", group.regions())
                : group.regions().size() + " regions";
      }
      var count =
          group.count().min().equals(group.count().max())
              ? String.valueOf(group.count().min())
              : group.count().min() + ".." + group.count().max();
      var price =
          group.price().min().equals(group.price().max())
              ? Pretty.amount(group.price().min())
              : Pretty.amount(group.price().min()) + ".." + Pretty.amount(group.price().max());
      var spot = new ArrayList<String>();
      for (var kind : List.of("spot", "on-demand")) {
        if (group.spot().contains(kind)) {
          spot.add(kind);
        }
      }
      var availability = "";
      if (group.availability().stream()
          .noneMatch(a -> a.equals("unknown") || a.equals("available"))) {
        availability =
            String.join(
                ", ",
                new LinkedHashSet<>(
                    group.availability().stream().map(OffersTable::availability).toList()));
      }
      var cells = new ArrayList<Object>();
      cells.add(i++);
      cells.add(group.name() + ":" + group.memoryMib() / 1024 + "GB:" + count);
      cells.add(String.join(", ", spot));
      cells.add(price);
      if (regionColumn == null) {
        cells.add(regions.isEmpty() ? backends : backends + " (" + regions + ")");
      } else {
        cells.add(backends);
        cells.add(regions);
      }
      cells.add(availability);
      table.row(cells.toArray());
    }
    table.print(out);
  }

  /** dstack's {@code InstanceAvailability.is_available}. */
  private static boolean isAvailable(String availability) {
    return availability.equals("unknown")
        || availability.equals("available")
        || availability.equals("idle");
  }

  /** A group being built, updated with each further GPU configuration of its key. */
  private static final class Builder {
    final String name;
    final long memoryMib;
    final String vendor;
    final List<String> availability = new ArrayList<>();
    final List<String> spot = new ArrayList<>();
    int countMin;
    int countMax;
    double priceMin;
    double priceMax;
    double offerPriceMin;
    double offerPriceMax;
    List<String> backends;
    String backend;
    List<String> regions;
    String region;

    Builder(BackendGpu gpu) {
      name = gpu.name();
      memoryMib = gpu.memoryMib();
      vendor = gpu.vendor();
      availability.add(gpu.availability());
      spot.add(gpu.spot() ? "spot" : "on-demand");
      countMin = countMax = gpu.count();
      priceMin = priceMax = gpu.price() / gpu.count();
      offerPriceMin = offerPriceMax = gpu.price();
    }

    void add(BackendGpu gpu, String backendType) {
      if (!availability.contains(gpu.availability())) {
        availability.add(gpu.availability());
      }
      var kind = gpu.spot() ? "spot" : "on-demand";
      if (!spot.contains(kind)) {
        spot.add(kind);
      }
      if (backends != null && !backends.contains(backendType)) {
        backends.add(backendType);
      }
      countMin = Math.min(countMin, gpu.count());
      countMax = Math.max(countMax, gpu.count());
      var perGpu = gpu.price() / gpu.count();
      priceMin = Math.min(priceMin, perGpu);
      priceMax = Math.max(priceMax, perGpu);
      offerPriceMin = Math.min(offerPriceMin, gpu.price());
      offerPriceMax = Math.max(offerPriceMax, gpu.price());
    }

    GpuGroup build() {
      return new GpuGroup(
          name,
          memoryMib,
          vendor,
          List.copyOf(availability),
          List.copyOf(spot),
          new Range<>(countMin, countMax),
          new Range<>(priceMin, priceMax),
          new Range<>(offerPriceMin, offerPriceMax),
          backends == null ? null : List.copyOf(backends),
          backend,
          regions == null ? null : List.copyOf(regions),
          region);
    }
  }

  /** A GPU type's key: name, memory, vendor (which may be null, so not {@code List.of}). */
  private static List<Object> gpuType(String name, long memoryMib, String vendor) {
    var key = new ArrayList<Object>(3);
    key.add(name);
    key.add(memoryMib);
    key.add(vendor);
    return key;
  }
}
