package ai.dstack.activities.offers;

import ai.dstack.core.configurations.ConfigurationParser;
import ai.dstack.core.configurations.TaskConfiguration;
import ai.dstack.core.resources.ResourcesSpec;
import ai.dstack.core.runs.InstanceResources;
import ai.dstack.workflows.fleets.FleetInstance;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Requirements as users write them, against instances with and without GPUs split into 1, 2 or 4
 * blocks, with the share each should get: the table {@link FleetOffersTest} checks and {@link
 * FleetOffersOracleTest} asks dstack about.
 */
final class MatchingCases {
  private MatchingCases() {}

  private static final long GIB = 1024;

  static InstanceResources.Gpu gpu(String vendor, String name, long memoryGib) {
    return new InstanceResources.Gpu(vendor, name, memoryGib * GIB);
  }

  static InstanceResources host(
      int cpus, long memoryGib, List<InstanceResources.Gpu> gpus, long diskGib) {
    return new InstanceResources(cpus, memoryGib * GIB, gpus, diskGib * GIB, false);
  }

  /** The hosts of the table, by name. */
  static final Map<String, InstanceResources> HOSTS =
      Map.of(
          "cpu-8", host(8, 32, List.of(), 200),
          "small", host(2, 23, List.of(), 100),
          "h100x2", host(16, 64, Collections.nCopies(2, gpu("nvidia", "H100", 80)), 500),
          "a10x4", host(16, 64, Collections.nCopies(4, gpu("nvidia", "A10", 24)), 500),
          "mi300x8", host(64, 512, Collections.nCopies(8, gpu("amd", "MI300X", 192)), 1000),
          "t4", host(4, 16, List.of(gpu("nvidia", "T4", 16)), 100));

  static FleetInstance instance(String host, int blocks, double price) {
    return new FleetInstance(
        "id-" + host,
        host,
        "local",
        "local",
        "local",
        "127.0.0.1",
        10998,
        price,
        HOSTS.get(host),
        blocks);
  }

  /**
   * One case.
   *
   * @param resources the {@code resources} value as written in a configuration
   * @param host a key of {@link #HOSTS}
   * @param blocks how many blocks the host is split into
   * @param expected the blocks of the share the job gets, or null for none
   * @param spot the spot requirement, or null for any
   * @param maxPrice the max price, or null
   * @param multinode whether the job is one node of several
   */
  record Case(
      String resources,
      String host,
      int blocks,
      Integer expected,
      Boolean spot,
      Double maxPrice,
      boolean multinode) {

    JobRequirements requirements() {
      return new JobRequirements(MatchingCases.resources(resources), spot, maxPrice, multinode);
    }

    FleetInstance instance() {
      return MatchingCases.instance(host, blocks, 0.0);
    }

    @Override
    public String toString() {
      var extra =
          (spot == null ? "" : " spot=" + spot)
              + (maxPrice == null ? "" : " max_price=" + maxPrice)
              + (multinode ? " multinode" : "");
      return "resources: "
          + resources
          + extra
          + " on "
          + host
          + " in "
          + blocks
          + " blocks -> "
          + (expected == null ? "none" : expected + " blocks");
    }
  }

  static Case of(String resources, String host, int blocks, Integer expected) {
    return new Case(resources, host, blocks, expected, null, null, false);
  }

  /** Parses {@code resources} as a task configuration's, with dstack's defaults. */
  static ResourcesSpec resources(String yaml) {
    var config =
        (TaskConfiguration)
            ConfigurationParser.parse(
                "type: task\ncommands: [nvidia-smi]\nresources: " + yaml + "\n", "case.dstack.yml");
    return config.run().resources();
  }

  static final List<Case> ALL =
      List.of(
          // no GPU
          of("{}", "cpu-8", 1, 1),
          of("{}", "cpu-8", 2, 1),
          of("{}", "cpu-8", 4, 1),
          of("{cpu: 4.., memory: 16GB..}", "cpu-8", 1, 1),
          of("{cpu: 4.., memory: 16GB..}", "cpu-8", 4, 2),
          of("{cpu: 8}", "cpu-8", 4, 4),
          of("{cpu: ..2}", "cpu-8", 1, null),
          of("{cpu: ..2}", "cpu-8", 4, 1),
          of("{memory: ..8GB}", "cpu-8", 4, 1),
          of("{memory: ..8GB}", "cpu-8", 2, null),
          of("{memory: 64GB}", "cpu-8", 1, null),
          of("{memory: ..8GB, cpu: 3..}", "cpu-8", 4, null),
          of("{gpu: 1}", "cpu-8", 1, null),
          of("{gpu: 0}", "cpu-8", 1, 1),
          of("{gpu: ..2}", "cpu-8", 2, 1),
          of("{gpu: {memory: 16GB..}}", "cpu-8", 1, null),
          of("{disk: 300GB..}", "cpu-8", 1, null),
          of("{disk: ..150GB}", "cpu-8", 4, null),
          of("{disk: 200GB}", "cpu-8", 4, 1),
          of("{cpu: arm:2..}", "cpu-8", 1, null),
          of("{cpu: x86:2..}", "cpu-8", 1, 1),
          of("{cpu: 2.., memory: 8GB.., gpu: H100:1..2}", "small", 1, null),
          of("{}", "small", 2, 2),
          of("{memory: 24GB..}", "small", 1, null),
          // NVIDIA H100s
          of("{cpu: 2.., memory: 8GB.., gpu: H100:1}", "h100x2", 1, null),
          of("{cpu: 2.., memory: 8GB.., gpu: H100:1}", "h100x2", 2, 1),
          of("{gpu: H100:2}", "h100x2", 2, 2),
          of("{gpu: 1..2}", "h100x2", 1, 1),
          of("{gpu: A100}", "h100x2", 1, null),
          of("{gpu: h100:1}", "h100x2", 2, 1),
          of("{gpu: nvidia:1}", "h100x2", 2, 1),
          of("{gpu: amd}", "h100x2", 1, null),
          of("{gpu: 0}", "h100x2", 2, null),
          of("{}", "h100x2", 2, 1),
          of("{gpu: 80GB}", "h100x2", 2, 1),
          of("{gpu: {compute_capability: 9.0}}", "h100x2", 1, 1),
          of("{gpu: {compute_capability: 10.0}}", "h100x2", 1, null),
          of("{gpu: {total_memory: 100GB..}}", "h100x2", 2, 2),
          of("{gpu: H100:1, cpu: 16}", "h100x2", 2, null),
          // NVIDIA A10s
          of("{gpu: 1..2}", "a10x4", 4, 1),
          of("{gpu: 1..2}", "a10x4", 1, null),
          of("{gpu: A10:2, memory: 32GB..}", "a10x4", 4, 2),
          of("{gpu: {total_memory: 100GB..}}", "a10x4", 4, null),
          of("{gpu: 24GB..}", "a10x4", 4, 1),
          of("{gpu: {compute_capability: 8.6}}", "a10x4", 4, 1),
          of("{gpu: {compute_capability: [9, 0]}}", "a10x4", 4, null),
          of("{gpu: \"A10,A100:1\"}", "a10x4", 4, 1),
          of("{gpu: {name: [A100, A10], count: 2..}}", "a10x4", 2, 1),
          of("{cpu: 8.., gpu: 1}", "a10x4", 4, null),
          of("{cpu: 4, gpu: 1}", "a10x4", 4, 1),
          // AMD
          of("{gpu: MI300X:2}", "mi300x8", 4, 1),
          of("{gpu: amd:4}", "mi300x8", 4, 2),
          of("{gpu: nvidia}", "mi300x8", 4, null),
          of("{gpu: {vendor: amd, compute_capability: 8.0}}", "mi300x8", 1, null),
          // one GPU
          of("{gpu: T4}", "t4", 1, 1),
          of("{gpu: {compute_capability: 7.5}}", "t4", 1, 1),
          of("{gpu: 16GB}", "t4", 1, 1),
          of("{gpu: 24GB..}", "t4", 1, null),
          // spot policy, max price, multi-node
          new Case("{}", "cpu-8", 1, null, true, null, false),
          new Case("{}", "cpu-8", 1, 1, false, null, false),
          new Case("{}", "cpu-8", 2, 1, null, 0.0, false),
          new Case("{gpu: H100:1}", "h100x2", 2, null, null, null, true),
          new Case("{gpu: 1..}", "h100x2", 2, 2, null, null, true));

  /**
   * A fleet's {@code blocks} on a host: how many blocks it makes, or null when it cannot divide it.
   *
   * @param blocks {@code auto} or a number
   */
  record BlocksCase(int cpus, int gpus, String blocks, Integer expected) {
    @Override
    public String toString() {
      return "blocks: " + blocks + " on " + cpus + " CPUs and " + gpus + " GPUs -> " + expected;
    }
  }

  static final List<BlocksCase> BLOCKS =
      List.of(
          new BlocksCase(8, 0, "auto", 8),
          new BlocksCase(16, 2, "auto", 2),
          new BlocksCase(4, 8, "auto", 4),
          new BlocksCase(16, 4, "4", 4),
          new BlocksCase(16, 4, "1", 1),
          new BlocksCase(6, 4, "4", null),
          new BlocksCase(8, 0, "3", null),
          new BlocksCase(8, 2, "4", null));
}
