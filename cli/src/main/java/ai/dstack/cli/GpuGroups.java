package ai.dstack.cli;

import ai.dstack.core.api.gpus.GpuGroup;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code dstack offer --group-by}: the server's groups of offers by GPU (and backend, region, GPU
 * count), from {@code gpus/list}, as dstack's GPU table.
 */
final class GpuGroups {
  private GpuGroups() {}

  /** The values {@code --group-by} takes. */
  static final Set<String> FIELDS = Set.of("gpu", "backend", "region", "count");

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
          Pretty.range(String.valueOf(group.count().min()), String.valueOf(group.count().max()));
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
}
