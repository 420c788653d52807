package ai.dstack.orchestrator.gpus;

import ai.dstack.core.api.gpus.CpuGroup;
import ai.dstack.core.api.gpus.GpuGroup;
import ai.dstack.core.api.gpus.Range;
import ai.dstack.core.runs.wire.InstanceOfferWithAvailability;
import ai.dstack.core.runs.wire.InstanceType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * dstack's grouping of offers for {@code gpus/list}: per backend, each kind of GPU an offer has
 * (name, memory, vendor) with its count, spot and region; then rows by GPU and by what {@code
 * group_by} names ({@code backend}, {@code region} with it, {@code count}); available rows first,
 * then cheapest per GPU (or most expensive whole offer first, {@code reverse}). CPU-only offers are
 * grouped by {@link #cpus} when the run allows no GPU.
 */
final class GpuGroups {
  private GpuGroups() {}

  /** What {@code group_by} may name. */
  static final Set<String> FIELDS = Set.of("backend", "region", "count");

  private static final Set<String> AVAILABLE = Set.of("unknown", "available", "idle");

  /** One kind of GPU in a backend's offers, as first met. */
  private record BackendGpu(
      String name,
      long memoryMib,
      String vendor,
      String availability,
      boolean spot,
      int count,
      double price,
      String region) {}

  /** A backend's GPUs, and the regions of all its offers. */
  private record BackendGpus(String backend, List<BackendGpu> gpus, List<String> regions) {}

  /** The GPU rows of {@code offers}, grouped and sorted as dstack's {@code _get_gpus_grouped}. */
  static List<GpuGroup> gpus(
      List<InstanceOfferWithAvailability> offers, Set<String> groupBy, boolean reverse) {
    boolean byBackend = groupBy.contains("backend");
    boolean byRegion = groupBy.contains("region");
    boolean byCount = groupBy.contains("count");
    var rows = new LinkedHashMap<List<Object>, Row>();
    for (var backend : backendGpus(offers)) {
      for (var gpu : backend.gpus()) {
        var key = new ArrayList<Object>(Arrays.asList(gpu.name(), gpu.memoryMib(), gpu.vendor()));
        if (byBackend) {
          key.add(backend.backend());
        }
        if (byRegion) {
          key.add(gpu.region());
        }
        if (byCount) {
          key.add(gpu.count());
        }
        var row = rows.get(key);
        if (row == null) {
          rows.put(key, new Row(gpu, backend, byBackend, byRegion));
        } else {
          row.add(gpu, backend.backend());
        }
      }
    }
    Comparator<Row> order =
        Comparator.<Row, Boolean>comparing(r -> !r.anyAvailable())
            .thenComparingDouble(r -> r.priceMin)
            .thenComparingDouble(r -> r.priceMax);
    if (byBackend) {
      order = order.thenComparing(r -> r.backend, Comparator.nullsFirst(Comparator.naturalOrder()));
    }
    if (byRegion) {
      order = order.thenComparing(r -> r.region, Comparator.nullsFirst(Comparator.naturalOrder()));
    }
    if (byCount) {
      order = order.thenComparingInt(r -> r.countMin);
    }
    order =
        order
            .thenComparing(r -> r.name, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparingLong(r -> r.memoryMib);
    var sorted = rows.values().stream().sorted(order).toList();
    if (reverse) {
      // Stable: rows equal in these keys keep the order above.
      sorted =
          sorted.stream()
              .sorted(
                  Comparator.<Row, Boolean>comparing(r -> !r.anyAvailable())
                      .thenComparingDouble(r -> -r.offerPriceMin)
                      .thenComparingDouble(r -> -r.offerPriceMax))
              .toList();
    }
    return sorted.stream().map(Row::toGroup).toList();
  }

  /** The CPU-only rows of {@code offers}, as dstack's {@code _get_cpus_grouped}. */
  static List<CpuGroup> cpus(
      List<InstanceOfferWithAvailability> offers, Set<String> groupBy, boolean reverse) {
    boolean byBackend = groupBy.contains("backend");
    boolean byRegion = groupBy.contains("region");
    boolean byCount = groupBy.contains("count");
    var groups = new LinkedHashMap<List<Object>, List<InstanceOfferWithAvailability>>();
    for (var offer : offers) {
      if (!offer.instance().resources().gpus().isEmpty()) {
        continue;
      }
      var key = new ArrayList<Object>();
      key.add(byBackend ? offer.backend() : null);
      key.add(byRegion ? offer.region() : null);
      key.add(byCount ? offer.instance().resources().cpus() : null);
      groups.computeIfAbsent(key, k -> new ArrayList<>()).add(offer);
    }
    var rows = new ArrayList<CpuGroup>();
    for (var group : groups.entrySet()) {
      var members = group.getValue();
      String backend = (String) group.getKey().get(0);
      String region = (String) group.getKey().get(1);
      var resources = members.stream().map(o -> o.instance().resources()).toList();
      rows.add(
          new CpuGroup(
              new ArrayList<>(
                  resources.stream()
                      .map(InstanceType.Resources::cpuArch)
                      .filter(Objects::nonNull)
                      .collect(Collectors.toCollection(TreeSet::new))),
              new Range<>(
                  resources.stream().mapToInt(InstanceType.Resources::cpus).min().orElseThrow(),
                  resources.stream().mapToInt(InstanceType.Resources::cpus).max().orElseThrow()),
              new Range<>(
                  resources.stream()
                      .mapToLong(InstanceType.Resources::memoryMib)
                      .min()
                      .orElseThrow(),
                  resources.stream()
                      .mapToLong(InstanceType.Resources::memoryMib)
                      .max()
                      .orElseThrow()),
              new Range<>(
                  members.stream()
                      .mapToDouble(InstanceOfferWithAvailability::price)
                      .min()
                      .orElseThrow(),
                  members.stream()
                      .mapToDouble(InstanceOfferWithAvailability::price)
                      .max()
                      .orElseThrow()),
              members.stream().map(InstanceOfferWithAvailability::availability).distinct().toList(),
              new ArrayList<>(
                  resources.stream()
                      .map(r -> spot(r.spot()))
                      .collect(Collectors.toCollection(TreeSet::new))),
              backend == null
                  ? new ArrayList<>(
                      members.stream()
                          .map(InstanceOfferWithAvailability::backend)
                          .collect(Collectors.toCollection(TreeSet::new)))
                  : null,
              backend,
              backend != null && region == null
                  ? new ArrayList<>(
                      members.stream()
                          .map(InstanceOfferWithAvailability::region)
                          .filter(Objects::nonNull)
                          .collect(Collectors.toCollection(TreeSet::new)))
                  : null,
              region));
    }
    int sign = reverse ? -1 : 1;
    return rows.stream()
        .sorted(
            Comparator.<CpuGroup, Boolean>comparing(
                    r -> r.availability().stream().noneMatch(AVAILABLE::contains))
                .thenComparingDouble(r -> sign * r.price().min())
                .thenComparingDouble(r -> sign * r.price().max())
                .thenComparing(r -> r.backend() == null ? "" : r.backend())
                .thenComparing(r -> r.region() == null ? "" : r.region())
                .thenComparingInt(r -> r.count().min()))
        .toList();
  }

  /** dstack's {@code _process_offers_into_backend_gpus}. */
  private static List<BackendGpus> backendGpus(List<InstanceOfferWithAvailability> offers) {
    var gpusByBackend = new LinkedHashMap<String, LinkedHashMap<List<Object>, BackendGpu>>();
    var regionsByBackend = new LinkedHashMap<String, TreeSet<String>>();
    for (var offer : offers) {
      var backend = offer.backend();
      var gpus = gpusByBackend.computeIfAbsent(backend, k -> new LinkedHashMap<>());
      var regions = regionsByBackend.computeIfAbsent(backend, k -> new TreeSet<>());
      if (offer.region() != null) {
        regions.add(offer.region());
      }
      var resources = offer.instance().resources();
      var kinds = new LinkedHashMap<List<Object>, Integer>();
      for (var gpu : resources.gpus()) {
        kinds.merge(Arrays.asList(gpu.name(), gpu.memoryMib(), vendor(gpu)), 1, Integer::sum);
      }
      for (var kind : kinds.entrySet()) {
        var name = (String) kind.getKey().get(0);
        long memory = (Long) kind.getKey().get(1);
        var vendor = (String) kind.getKey().get(2);
        int count = kind.getValue();
        var key =
            Arrays.<Object>asList(name, memory, vendor, count, resources.spot(), offer.region());
        gpus.putIfAbsent(
            key,
            new BackendGpu(
                name,
                memory,
                vendor,
                offer.availability(),
                resources.spot(),
                count,
                offer.price(),
                offer.region()));
      }
    }
    var result = new ArrayList<BackendGpus>();
    for (var backend : gpusByBackend.entrySet()) {
      var sorted =
          backend.getValue().values().stream()
              .sorted(
                  Comparator.<BackendGpu, Boolean>comparing(
                          g -> !AVAILABLE.contains(g.availability()))
                      .thenComparing(BackendGpu::vendor)
                      .thenComparing(BackendGpu::name)
                      .thenComparingLong(BackendGpu::memoryMib))
              .toList();
      result.add(
          new BackendGpus(
              backend.getKey(), sorted, List.copyOf(regionsByBackend.get(backend.getKey()))));
    }
    return result;
  }

  /** dstack reads a GPU without a vendor as NVIDIA's (Google's for TPUs). */
  private static String vendor(InstanceType.Gpu gpu) {
    if (gpu.vendor() != null) {
      return gpu.vendor();
    }
    return gpu.name() != null && gpu.name().toLowerCase(Locale.ROOT).startsWith("tpu-")
        ? "google"
        : "nvidia";
  }

  private static String spot(boolean spot) {
    return spot ? "spot" : "on-demand";
  }

  /** A GPU row being built: dstack's {@code GpuGroup} and {@code _update_gpu_group}. */
  private static final class Row {
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
    final List<String> backends;
    final String backend;
    final List<String> regions;
    final String region;

    Row(BackendGpu gpu, BackendGpus in, boolean byBackend, boolean byRegion) {
      name = gpu.name();
      memoryMib = gpu.memoryMib();
      vendor = gpu.vendor();
      availability.add(gpu.availability());
      spot.add(spot(gpu.spot()));
      countMin = gpu.count();
      countMax = gpu.count();
      priceMin = gpu.price() / gpu.count();
      priceMax = priceMin;
      offerPriceMin = gpu.price();
      offerPriceMax = gpu.price();
      backends = byBackend ? null : new ArrayList<>(List.of(in.backend()));
      backend = byBackend ? in.backend() : null;
      regions = byBackend && !byRegion ? new ArrayList<>(in.regions()) : null;
      region = byBackend && byRegion ? gpu.region() : null;
    }

    void add(BackendGpu gpu, String backendType) {
      if (!availability.contains(gpu.availability())) {
        availability.add(gpu.availability());
      }
      if (!spot.contains(spot(gpu.spot()))) {
        spot.add(spot(gpu.spot()));
      }
      if (backends != null && !backends.contains(backendType)) {
        backends.add(backendType);
      }
      countMin = Math.min(countMin, gpu.count());
      countMax = Math.max(countMax, gpu.count());
      double perGpu = gpu.price() / gpu.count();
      priceMin = Math.min(priceMin, perGpu);
      priceMax = Math.max(priceMax, perGpu);
      offerPriceMin = Math.min(offerPriceMin, gpu.price());
      offerPriceMax = Math.max(offerPriceMax, gpu.price());
    }

    boolean anyAvailable() {
      return availability.stream().anyMatch(AVAILABLE::contains);
    }

    GpuGroup toGroup() {
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

  /** Checks {@code group_by} as dstack does; returns its fields. */
  static Set<String> groupBy(List<String> groupBy) {
    var fields = new LinkedHashSet<String>();
    if (groupBy != null) {
      for (var field : groupBy) {
        if (!FIELDS.contains(field)) {
          throw new IllegalArgumentException(
              "group_by: " + field + " is not backend, region or count");
        }
        fields.add(field);
      }
    }
    if (fields.contains("region") && !fields.contains("backend")) {
      throw new IllegalArgumentException(
          "Cannot group by 'region' without also grouping by 'backend'");
    }
    return fields;
  }
}
