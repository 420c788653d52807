package ai.dstack.core.runs.wire;

import ai.dstack.core.configurations.Configuration;
import ai.dstack.core.configurations.ServiceConfiguration;
import ai.dstack.core.configurations.TaskConfiguration;
import ai.dstack.core.resources.GpuSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which vendor makes a GPU, from its name, with gpuhunt's catalog of known accelerators as dstack
 * 0.22.5 ships it; and what that means for the image: dstack's default image serves NVIDIA GPUs
 * (and TPUs) only.
 */
final class GpuVendors {
  private GpuVendors() {}

  static final String NVIDIA = "nvidia";
  static final String AMD = "amd";
  static final String GOOGLE = "google";
  static final String INTEL = "intel";
  static final String TENSTORRENT = "tenstorrent";

  private static final Set<String> KNOWN_NVIDIA =
      Set.of(
          "a10",
          "a100",
          "a10g",
          "a16",
          "a40",
          "a4000",
          "a4500",
          "a5000",
          "a6000",
          "b200",
          "b300",
          "gb200",
          "gb300",
          "gh200",
          "h100",
          "h100nvl",
          "h200",
          "h200nvl",
          "l4",
          "l40",
          "l40s",
          "p100",
          "rtx2000ada",
          "rtx2060",
          "rtx2060super",
          "rtx2070",
          "rtx2070super",
          "rtx2080",
          "rtx2080super",
          "rtx2080ti",
          "rtx3050",
          "rtx3060",
          "rtx3060ti",
          "rtx3070",
          "rtx3070ti",
          "rtx3080",
          "rtx3080ti",
          "rtx3090",
          "rtx3090ti",
          "rtx4000ada",
          "rtx4060",
          "rtx4060ti",
          "rtx4070",
          "rtx4070super",
          "rtx4070ti",
          "rtx4070tisuper",
          "rtx4080",
          "rtx4080super",
          "rtx4090",
          "rtx5060",
          "rtx5060ti",
          "rtx5070",
          "rtx5070ti",
          "rtx5080",
          "rtx5090",
          "rtx6000",
          "rtx6000ada",
          "rtxpro4500",
          "rtxpro6000",
          "t4",
          "v100");
  private static final Set<String> KNOWN_AMD =
      Set.of(
          "mi100", "mi210", "mi250", "mi250x", "mi300a", "mi300x", "mi308x", "mi325x", "mi350x",
          "mi355x");
  private static final Set<String> KNOWN_INTEL = Set.of("gaudi", "gaudi2", "gaudi3");
  private static final Set<String> KNOWN_TENSTORRENT =
      Set.of("n150", "n300", "p100a", "p150", "p300", "tt-galaxy-bh", "tt-galaxy-wh");
  private static final Set<String> KNOWN_TPU_VERSIONS =
      Set.of("v2", "v3", "v4", "v5litepod", "v5p", "v6e");

  /** The vendors a GPU name can be (dstack's {@code detect_gpu_vendors_by_gpu_name}). */
  static Set<String> detect(String name) {
    var vendors = new HashSet<String>();
    var lower = name.toLowerCase(Locale.ROOT);
    if (KNOWN_NVIDIA.contains(lower)) {
      vendors.add(NVIDIA);
    }
    if (KNOWN_AMD.contains(lower)) {
      vendors.add(AMD);
    }
    if (KNOWN_INTEL.contains(lower)) {
      vendors.add(INTEL);
    }
    if (KNOWN_TENSTORRENT.contains(lower)) {
      vendors.add(TENSTORRENT);
    }
    var dash = lower.indexOf('-');
    var version = dash < 0 ? lower : lower.substring(0, dash);
    var cores = dash < 0 ? "" : lower.substring(dash + 1);
    if (!cores.isEmpty()
        && cores.chars().allMatch(Character::isDigit)
        && KNOWN_TPU_VERSIONS.contains(version)) {
      vendors.add(GOOGLE);
    }
    return vendors;
  }

  /**
   * The vendor the server fills in on a GPU spec that has none (dstack's {@code
   * set_default_gpu_spec_vendor}), or null to leave it unset: NVIDIA for a GPU count without names
   * on dstack's image; the one vendor all the names are known to be made by.
   */
  static String defaultVendor(GpuSpec gpu, String image, boolean docker) {
    if (gpu.vendor() != null || isZero(gpu)) {
      return null;
    }
    if (gpu.name() == null || gpu.name().isEmpty()) {
      return image == null && !docker ? NVIDIA : null;
    }
    var vendors = new HashSet<String>();
    for (var name : gpu.name()) {
      var detected = detect(name);
      vendors.addAll(detected.isEmpty() ? Set.of("") : detected); // "" stands for "unknown"
    }
    if (vendors.size() != 1) {
      return null;
    }
    var vendor = vendors.iterator().next();
    return vendor.isEmpty() ? null : vendor;
  }

  private static boolean isZero(GpuSpec gpu) {
    return gpu.count() != null && gpu.count().max() != null && gpu.count().max() == 0;
  }

  /**
   * Refuses GPUs that dstack's default image does not serve when no image is given (dstack's {@code
   * _validate_gpu_vendor_and_image}).
   */
  static void checkImage(Configuration configuration) {
    var vendors = new HashSet<String>();
    List<Integer> invalid = new ArrayList<>();
    if (configuration instanceof ServiceConfiguration service && service.groups() != null) {
      var params = service.run();
      for (int i = 0; i < service.groups().size(); i++) {
        var group = service.groups().get(i);
        var image = group.image() != null ? group.image() : params.image();
        var docker = group.docker() != null ? group.docker() : params.docker();
        var found = requiringImage(gpuOf(group.resources()), image, docker);
        if (!found.isEmpty()) {
          vendors.addAll(found);
          invalid.add(i);
        }
      }
    } else if (configuration instanceof TaskConfiguration task && task.groups() != null) {
      var params = task.run();
      for (int i = 0; i < task.groups().size(); i++) {
        var found =
            requiringImage(
                gpuOf(task.groups().get(i).resources()), params.image(), params.docker());
        if (!found.isEmpty()) {
          vendors.addAll(found);
          invalid.add(i);
        }
      }
    } else {
      var params = RunSpecs.paramsOf(configuration);
      vendors.addAll(requiringImage(gpuOf(params.resources()), params.image(), params.docker()));
    }
    if (!vendors.isEmpty()) {
      var message =
          "`image` must be set when the requested accelerator is not supported by the default"
              + " image: "
              + RunSpecs.pythonList(vendors);
      if (!invalid.isEmpty()) {
        message = "groups" + RunSpecs.pythonList(invalid) + ": " + message;
      }
      throw new InvalidRunSpecException(message);
    }
  }

  private static GpuSpec gpuOf(ai.dstack.core.resources.ResourcesSpec resources) {
    return resources == null ? GpuSpec.DEFAULT : resources.gpu();
  }

  private static Set<String> requiringImage(GpuSpec gpu, String image, Boolean docker) {
    if (image != null || Boolean.TRUE.equals(docker)) {
      return Set.of();
    }
    if (gpu == null || isZero(gpu)) {
      return Set.of();
    }
    var vendors = new HashSet<String>();
    if (gpu.vendor() != null) {
      vendors.add(gpu.vendor());
    } else if (gpu.name() != null) {
      gpu.name().forEach(n -> vendors.addAll(detect(n)));
    }
    vendors.remove(NVIDIA);
    vendors.remove(GOOGLE);
    return vendors;
  }
}
