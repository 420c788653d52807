package ai.dstack.core.resources;

import ai.dstack.core.profiles.NullValues;
import ai.dstack.core.yaml.Field;
import ai.dstack.core.yaml.FieldPath;
import ai.dstack.core.yaml.FieldValues;
import ai.dstack.core.yaml.Node;
import ai.dstack.core.yaml.ObjectSpec;
import ai.dstack.core.yaml.Problems;
import ai.dstack.core.yaml.Readers;
import ai.dstack.core.yaml.ValueReader;
import ai.dstack.core.yaml.Yaml11;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** Readers for dstack's resources grammar, as {@code resources:} and fleets accept it. */
public final class ResourcesGrammar {
  private ResourcesGrammar() {}

  private static final String SIZE_EXAMPLES = "e.g. 16GB, 512MB, 1TB or a number of GB";

  /** A size in GB: a number of GB, or a number with a unit MB, GB or TB ({@code 16GB}). */
  public static final ValueReader<Double> MEMORY =
      ValueReader.of(
          Map.of(
              "anyOf",
              List.of(
                  Map.of("type", "number"),
                  Map.of("type", "string", "pattern", "^\\s*[0-9.]+\\s*([mMgGtT][bB])?\\s*$"))),
          ResourcesGrammar::readMemory);

  private static Double readMemory(Node node, FieldPath path, Problems problems) {
    if (node instanceof Node.Scalar s) {
      switch (s.type()) {
        case INT, FLOAT -> {
          return ((Number) s.value()).doubleValue();
        }
        case STR -> {
          var v = s.text().replace(" ", "").toLowerCase(Locale.ROOT);
          double factor = 1;
          if (v.endsWith("tb")) {
            factor = 1024;
          } else if (v.endsWith("mb")) {
            factor = 1.0 / 1024;
          }
          if (v.endsWith("tb") || v.endsWith("gb") || v.endsWith("mb")) {
            v = v.substring(0, v.length() - 2);
          }
          try {
            return Double.parseDouble(v.replace("_", "")) * factor;
          } catch (NumberFormatException e) {
            return problems.add(
                node, path, "\"" + s.text() + "\" is not a size; write " + SIZE_EXAMPLES);
          }
        }
        default -> {}
      }
    }
    return problems.add(
        node, path, "expected a size (" + SIZE_EXAMPLES + "), got " + node.describe());
  }

  /** A count range: {@code 2}, {@code 1..4}, {@code 2..}, {@code ..8} or {min, max}. */
  public static final ValueReader<Range<Long>> COUNT_RANGE = range(Readers.INTEGER, "2..8");

  /** A size range: {@code 16GB}, {@code 16GB..80GB}, {@code 24GB..} or {min, max}. */
  public static final ValueReader<Range<Double>> MEMORY_RANGE = range(MEMORY, "16GB..80GB");

  private static <T extends Comparable<T>> ValueReader<Range<T>> range(
      ValueReader<T> bound, String example) {
    var min = Field.of("min", bound, "The lower bound");
    var max = Field.of("max", bound, "The upper bound");
    var object = ObjectSpec.of("a range", min, max);
    var schema =
        Map.<String, Object>of(
            "anyOf",
            List.of(
                bound.schema(),
                Map.of("type", "string", "pattern", "^[^.]*\\.\\.[^.]*$"),
                object.schema()));
    return ValueReader.of(
        schema,
        (node, path, problems) -> {
          T lower;
          T upper;
          String written;
          if (node instanceof Node.Mapping) {
            // A bound left out or written as null is open, as in dstack ({min: 2, max: null}).
            var before = problems.count();
            var values = object.read(node, path, problems);
            if (values == null || problems.count() != before) {
              return null;
            }
            lower = values.get(min);
            upper = values.get(max);
            written = (lower == null ? "" : lower) + ".." + (upper == null ? "" : upper);
          } else if (node instanceof Node.Scalar s
              && s.type() == Node.ScalarType.STR
              && s.text().contains("..")) {
            written = s.text();
            var parts = s.text().replace(" ", "").split("\\.\\.", -1);
            if (parts.length != 2) {
              return problems.add(
                  node, path, "\"" + written + "\" is not a range; write e.g. \"" + example + "\"");
            }
            var before = problems.count();
            lower =
                parts[0].isEmpty()
                    ? null
                    : bound.read(Node.Scalar.str(parts[0], s.mark()), path, problems);
            upper =
                parts[1].isEmpty()
                    ? null
                    : bound.read(Node.Scalar.str(parts[1], s.mark()), path, problems);
            if (problems.count() != before) {
              return null;
            }
          } else {
            var value = bound.read(node, path, problems);
            return value == null ? null : Range.exactly(value);
          }
          if (lower == null && upper == null) {
            return problems.add(
                node, path, "\"" + written + "\" has no bounds; write e.g. \"" + example + "\"");
          }
          if (lower != null && upper != null && lower.compareTo(upper) > 0) {
            return problems.add(
                node,
                path,
                "the range \"" + written + "\" is reversed; write the smaller bound first");
          }
          return new Range<>(lower, upper);
        });
  }

  private static final Field<String> CPU_ARCH =
      Field.of("arch", Readers.oneOf("x86", "arm"), "The CPU architecture, one of: x86, arm");
  private static final Field<Range<Long>> CPU_COUNT =
      Field.of("count", COUNT_RANGE, "The number of CPU cores");
  private static final ObjectSpec CPU_OBJECT = ObjectSpec.of("a CPU spec", CPU_ARCH, CPU_COUNT);

  /** CPU: {@code 8}, {@code 2..}, {@code arm:8}, {@code x86:4..16}, {min, max} or {arch, count}. */
  public static final ValueReader<CpuSpec> CPU =
      ValueReader.of(
          Map.of(
              "anyOf",
              List.of(Map.of("type", "integer"), Map.of("type", "string"), CPU_OBJECT.schema())),
          ResourcesGrammar::readCpu);

  private static CpuSpec readCpu(Node node, FieldPath path, Problems problems) {
    if (node instanceof Node.Mapping m
        && !m.entries().isEmpty()
        && m.entries().stream().allMatch(e -> Set.of("min", "max").contains(e.key()))) {
      var count = COUNT_RANGE.read(node, path.child("count"), problems);
      return count == null ? null : new CpuSpec(null, count);
    }
    if (node instanceof Node.Mapping) {
      // arch: null is any architecture; count has a default, so dstack refuses count: null.
      var before = problems.count();
      var values = CPU_OBJECT.read(node, path, problems);
      if (values == null) {
        return null;
      }
      NullValues.rejectNull(values, CPU_COUNT);
      if (problems.count() != before) {
        return null;
      }
      return new CpuSpec(values.get(CPU_ARCH), values.get(CPU_COUNT, CpuSpec.DEFAULT_COUNT));
    }
    var text = shorthandText(node);
    if (text == null) {
      return problems.add(
          node, path, "expected a CPU count or spec (e.g. 8, 2.., arm:8), got " + node.describe());
    }
    String arch = null;
    String count = null;
    for (var token : text.replace(" ", "").split(":", -1)) {
      if (token.isEmpty()) {
        return problems.add(node, path, quote(text) + " has an empty part; write e.g. \"arm:8\"");
      }
      if (token.contains("..") || isDigits(token)) {
        if (count != null) {
          return problems.add(
              node, path, quote(text) + " has two counts; write one, e.g. \"arm:8\"");
        }
        count = token;
      } else {
        var lower = token.toLowerCase(Locale.ROOT);
        if (!lower.equals("x86") && !lower.equals("arm")) {
          return problems.add(
              node,
              path,
              quote(text) + " names an unknown CPU architecture \"" + token + "\"; use x86 or arm");
        }
        if (arch != null) {
          return problems.add(
              node, path, quote(text) + " has two architectures; write one, e.g. \"arm:8\"");
        }
        arch = lower;
      }
    }
    var range =
        count == null
            ? CpuSpec.DEFAULT_COUNT
            : COUNT_RANGE.read(Node.Scalar.str(count, node.mark()), path, problems);
    return range == null ? null : new CpuSpec(arch, range);
  }

  private static final Map<String, String> GPU_VENDORS =
      Map.of(
          "nvidia", "nvidia",
          "amd", "amd",
          "google", "google",
          "tpu", "google",
          "intel", "intel",
          "tenstorrent", "tenstorrent",
          "tt", "tenstorrent");

  private static final ValueReader<String> GPU_VENDOR =
      ValueReader.of(
          Map.of(
              "type", "string", "enum", List.copyOf(new java.util.TreeSet<>(GPU_VENDORS.keySet()))),
          (node, path, problems) -> {
            var text = Readers.STRING.read(node, path, problems);
            if (text == null) {
              return null;
            }
            var vendor = GPU_VENDORS.get(text.toLowerCase(Locale.ROOT));
            if (vendor == null) {
              return problems.add(
                  node,
                  path,
                  "\""
                      + text
                      + "\" is not a GPU vendor; use nvidia, amd, google (or tpu), intel or"
                      + " tenstorrent (or tt)");
            }
            return vendor;
          });

  /** GPU names; a deprecated {@code tpu-} prefix is dropped, as dstack does. */
  private static final ValueReader<List<String>> GPU_NAMES =
      Readers.listOrOne(Readers.STRING)
          .map(
              names -> names.stream().map(n -> n.startsWith("tpu-") ? n.substring(4) : n).toList());

  private static final ValueReader<List<Integer>> COMPUTE_CAPABILITY =
      ValueReader.of(
          Map.of(
              "anyOf",
              List.of(
                  Map.of("type", "number"),
                  Map.of("type", "string"),
                  Map.of("type", "array", "items", Map.of("type", "integer")))),
          ResourcesGrammar::readComputeCapability);

  private static List<Integer> readComputeCapability(Node node, FieldPath path, Problems problems) {
    List<String> parts = null;
    if (node instanceof Node.Scalar s && s.type() == Node.ScalarType.FLOAT) {
      parts = List.of(Yaml11.pythonNumber(s.value()).split("\\."));
    } else if (node instanceof Node.Scalar s && s.type() == Node.ScalarType.STR) {
      parts = List.of(s.text().strip().split("\\.", -1));
    } else if (node instanceof Node.Sequence seq) {
      var before = problems.count();
      var items = Readers.listOf(Readers.INTEGER).read(seq, path, problems);
      if (problems.count() != before || items == null) {
        return null;
      }
      parts = items.stream().map(String::valueOf).toList();
    }
    if (parts != null && parts.size() == 2) {
      try {
        return List.of(
            Integer.parseInt(parts.get(0).strip()), Integer.parseInt(parts.get(1).strip()));
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    return problems.add(
        node, path, "expected a compute capability such as 7.5 or \"8.0\", got " + node.describe());
  }

  private static final Field<String> GPU_VENDOR_FIELD =
      Field.of(
          "vendor",
          GPU_VENDOR,
          "The vendor of the GPU/accelerator, one of: nvidia, amd, google (alias: tpu), intel,"
              + " tenstorrent (alias: tt)");
  private static final Field<List<String>> GPU_NAME =
      Field.of("name", GPU_NAMES, "The name of the GPU (e.g. A100 or H100), or a list of names");
  private static final Field<Range<Long>> GPU_COUNT =
      Field.of("count", COUNT_RANGE, "The number of GPUs");
  private static final Field<Range<Double>> GPU_MEMORY =
      Field.of("memory", MEMORY_RANGE, "The memory of each GPU (e.g. 16GB, or a range 16GB..)");
  private static final Field<Range<Double>> GPU_TOTAL_MEMORY =
      Field.of("total_memory", MEMORY_RANGE, "The memory of all GPUs together (e.g. 32GB..)");
  private static final Field<List<Integer>> GPU_COMPUTE_CAPABILITY =
      Field.of(
          "compute_capability",
          COMPUTE_CAPABILITY,
          "The minimum compute capability of the GPU (e.g. 7.5)");
  private static final ObjectSpec GPU_OBJECT =
      ObjectSpec.of(
          "a GPU spec",
          GPU_VENDOR_FIELD,
          GPU_NAME,
          GPU_COUNT,
          GPU_MEMORY,
          GPU_TOTAL_MEMORY,
          GPU_COMPUTE_CAPABILITY);

  /**
   * GPU: a count ({@code 2}), a shorthand of {@code :}-separated tokens in any order (vendor, names
   * {@code A10,A10G}, memory {@code 24GB..}, count {@code 2} or {@code 1..4}: e.g. {@code
   * A100:80GB:2}, {@code MI300X:AMD}, {@code tpu:v5p-8}), or the object form.
   */
  public static final ValueReader<GpuSpec> GPU =
      ValueReader.of(
          Map.of(
              "anyOf",
              List.of(Map.of("type", "integer"), Map.of("type", "string"), GPU_OBJECT.schema())),
          ResourcesGrammar::readGpu);

  private static GpuSpec readGpu(Node node, FieldPath path, Problems problems) {
    if (node instanceof Node.Mapping) {
      var before = problems.count();
      var v = GPU_OBJECT.read(node, path, problems);
      if (v == null) {
        return null;
      }
      // The optional fields take null for "not set"; count has a default and refuses null.
      NullValues.rejectNull(v, GPU_COUNT);
      if (problems.count() != before) {
        return null;
      }
      return new GpuSpec(
          v.get(GPU_VENDOR_FIELD),
          v.get(GPU_NAME),
          v.get(GPU_COUNT, GpuSpec.DEFAULT_COUNT),
          v.get(GPU_MEMORY),
          v.get(GPU_TOTAL_MEMORY),
          v.get(GPU_COMPUTE_CAPABILITY));
    }
    var text = shorthandText(node);
    if (text == null) {
      return problems.add(
          node, path, "expected a GPU count or spec (e.g. 1, A100:80GB:2), got " + node.describe());
    }
    String vendor = null;
    List<String> names = null;
    String memory = null;
    String count = null;
    for (var token : text.replace(" ", "").split(":", -1)) {
      if (token.isEmpty()) {
        return problems.add(
            node, path, quote(text) + " has an empty part; write e.g. \"A100:80GB:2\"");
      }
      var tokenVendor = GPU_VENDORS.get(token.toLowerCase(Locale.ROOT));
      if (tokenVendor != null) {
        if (vendor != null) {
          return problems.add(node, path, quote(text) + " names two vendors; write one");
        }
        vendor = tokenVendor;
      } else if (Character.isLetter(token.codePointAt(0))) {
        if (names != null) {
          return problems.add(
              node,
              path,
              quote(text)
                  + " has two name parts; list alternatives with commas, e.g. \"A10,A10G:1\"");
        }
        var split = List.of(token.split(",", -1));
        if (split.stream().anyMatch(String::isEmpty)) {
          return problems.add(node, path, quote(text) + " has an empty GPU name");
        }
        names = split.stream().map(n -> n.startsWith("tpu-") ? n.substring(4) : n).toList();
      } else if (token.chars().anyMatch(Character::isLetter)) {
        if (memory != null) {
          return problems.add(
              node, path, quote(text) + " has two memory sizes; write one, e.g. \"A100:80GB:2\"");
        }
        memory = token;
      } else {
        if (count != null) {
          return problems.add(
              node, path, quote(text) + " has two counts; write one, e.g. \"A100:80GB:2\"");
        }
        count = token;
      }
    }
    var before = problems.count();
    var countRange =
        count == null
            ? GpuSpec.DEFAULT_COUNT
            : COUNT_RANGE.read(Node.Scalar.str(count, node.mark()), path, problems);
    var memoryRange =
        memory == null
            ? null
            : MEMORY_RANGE.read(Node.Scalar.str(memory, node.mark()), path, problems);
    if (problems.count() != before) {
      return null;
    }
    return new GpuSpec(vendor, names, countRange, memoryRange, null, null);
  }

  private static final Field<Range<Double>> DISK_SIZE =
      Field.required("size", MEMORY_RANGE, "The disk size (e.g. 100GB, or a range 100GB..)");
  private static final ObjectSpec DISK_OBJECT = ObjectSpec.of("a disk spec", DISK_SIZE);

  /** Disk: a size or size range ({@code 100GB..}), or {size}. */
  public static final ValueReader<DiskSpec> DISK =
      ValueReader.of(
          Map.of("anyOf", List.of(MEMORY_RANGE.schema(), DISK_OBJECT.schema())),
          (node, path, problems) -> {
            if (node instanceof Node.Mapping) {
              var values = DISK_OBJECT.read(node, path, problems);
              if (values == null) {
                return null;
              }
              NullValues.rejectNull(values, DISK_SIZE);
              var size = values.get(DISK_SIZE);
              return size == null ? null : new DiskSpec(size);
            }
            var size = MEMORY_RANGE.read(node, path, problems);
            return size == null ? null : new DiskSpec(size);
          });

  private static final Field<CpuSpec> CPU_FIELD =
      Field.of("cpu", CPU, "The CPU requirements (default 2..)");
  private static final Field<Range<Double>> MEMORY_FIELD =
      Field.of("memory", MEMORY_RANGE, "The RAM size (e.g. 8GB, or a range 8GB..; default 8GB..)");
  private static final Field<Double> SHM_SIZE =
      Field.of(
          "shm_size",
          MEMORY,
          "The size of shared memory (e.g. 8GB), needed by parallel communicating processes such"
              + " as PyTorch dataloaders");
  private static final Field<GpuSpec> GPU_FIELD =
      Field.of("gpu", GPU, "The GPU requirements (default 0..: none required)");
  private static final Field<DiskSpec> DISK_FIELD =
      Field.of("disk", DISK, "The disk resources (default 100GB..)");

  private static final ObjectSpec RESOURCES_OBJECT =
      ObjectSpec.of("resources", CPU_FIELD, MEMORY_FIELD, SHM_SIZE, GPU_FIELD, DISK_FIELD);

  /**
   * The {@code resources} object, with dstack's defaults for what it leaves out. As in dstack,
   * {@code cpu} and {@code memory} refuse null, {@code shm_size: null} is no size, and {@code gpu:
   * null} or {@code disk: null} is no requirement at all (a null spec, not the default).
   */
  public static final ValueReader<ResourcesSpec> RESOURCES =
      RESOURCES_OBJECT.reader(
          v -> {
            NullValues.rejectNull(v, CPU_FIELD, MEMORY_FIELD);
            return new ResourcesSpec(
                v.get(CPU_FIELD, CpuSpec.DEFAULT),
                v.get(MEMORY_FIELD, ResourcesSpec.DEFAULT_MEMORY),
                v.get(SHM_SIZE),
                isNull(v, GPU_FIELD) ? null : v.get(GPU_FIELD, GpuSpec.DEFAULT),
                isNull(v, DISK_FIELD) ? null : v.get(DISK_FIELD, DiskSpec.DEFAULT));
          });

  /** Whether the field was written as null. */
  private static boolean isNull(FieldValues values, Field<?> field) {
    var entry = values.mapping().get(field.name());
    return entry != null && entry.value() instanceof Node.Scalar s && s.isNull();
  }

  /** The shorthand text of an integer or string node, or null for other nodes. */
  private static String shorthandText(Node node) {
    if (node instanceof Node.Scalar s) {
      if (s.type() == Node.ScalarType.INT) {
        return Yaml11.pythonNumber(s.value());
      }
      if (s.type() == Node.ScalarType.STR) {
        return s.text();
      }
    }
    return null;
  }

  private static boolean isDigits(String token) {
    return !token.isEmpty() && token.chars().allMatch(Character::isDigit);
  }

  private static String quote(String text) {
    return "\"" + text + "\"";
  }
}
