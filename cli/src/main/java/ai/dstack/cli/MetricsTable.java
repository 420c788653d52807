package ai.dstack.cli;

import ai.dstack.core.api.metrics.JobMetrics;
import ai.dstack.core.runs.wire.InstanceType;
import ai.dstack.core.runs.wire.Job;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The table of {@code dstack metrics}, as dstack draws it: per job a {@code cpu} row and one row
 * per GPU, each with a sparkline of utilization and one of memory against what the job was given
 * (the latest value printed beside it, e.g. {@code 37%} and {@code 3GB/16GB}), and under them a
 * time axis shared by all jobs. Sparklines have a fixed 0 to 100 scale; a job that started later
 * than the others is drawn from where it started.
 */
final class MetricsTable {

  /** Samples asked for: more than an hour of them, which is what the server keeps of a job. */
  static final int MAX_SAMPLES = 1000;

  /** What the server keeps of a running job, and so the widest window. */
  static final Duration RETENTION = Duration.ofHours(1);

  /** As dstack: a sample newer than three collection intervals is "now". */
  static final Duration LIVE_THRESHOLD = Duration.ofSeconds(30);

  static final String SPARKS = "▁▂▃▄▅▆▇";
  static final String NO_DATA = "no data";
  static final String AXIS_RULE = "┄";
  static final String NOW = "now";

  private static final int MIN_SPARK_WIDTH = 10;
  private static final int MAX_SPARK_WIDTH = 80;

  /** Everything but the sparklines and the job label: the second column, numbers, padding. */
  private static final int FIXED_COLUMNS = 30;

  private static final int SPARKLINE_COLUMNS = 2;
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm");
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("d MMM HH:mm", Locale.ENGLISH);

  private final int consoleWidth;
  private final Instant now;
  private final ZoneId zone;

  MetricsTable(int consoleWidth, Instant now, ZoneId zone) {
    this.consoleWidth = consoleWidth;
    this.now = now;
    this.zone = zone;
  }

  /** The table of {@code jobs}, each with its metrics (in the same order). */
  Table render(List<Job> jobs, List<JobMetrics> metrics) {
    var labels = labels(jobs);
    int labelWidth = labels.stream().mapToInt(String::length).max().orElse(0);
    int width = sparkWidth(labelWidth);
    var window = sharedWindow(metrics);
    var table = new Table("", "", "UTILIZATION", "MEMORY");
    for (int i = 0; i < jobs.size(); i++) {
      if (i > 0) {
        table.row("", "", "", "");
      }
      addJob(table, jobs.get(i), metrics.get(i), width, labels.get(i), window);
    }
    if (window != null) {
      table.row("", "", "", "");
      int drawn = metrics.stream().mapToInt(m -> cellsDrawn(m, window, width)).max().orElse(0);
      var axis = timeAxis(drawn, window[0], window[1]);
      table.row("", "", axis, axis);
    }
    return table;
  }

  int sparkWidth(int labelWidth) {
    int budget = consoleWidth - FIXED_COLUMNS - labelWidth;
    return Math.max(
        MIN_SPARK_WIDTH, Math.min(MAX_SPARK_WIDTH, Math.floorDiv(budget, SPARKLINE_COLUMNS)));
  }

  /** A label per job naming only what tells them apart, as {@code dstack ps} does. */
  static List<String> labels(List<Job> jobs) {
    var groups = new HashSet<String>();
    var replicas = new HashSet<Integer>();
    for (var job : jobs) {
      groups.add(job.jobSpec().replicaGroup());
      replicas.add(job.jobSpec().replicaNum());
    }
    var labels = new ArrayList<String>();
    String lastGroup = null;
    for (var job : jobs) {
      var parts = new ArrayList<String>();
      if (groups.size() > 1) {
        var group = "group=" + job.jobSpec().replicaGroup();
        parts.add(
            Objects.equals(job.jobSpec().replicaGroup(), lastGroup)
                ? " ".repeat(group.length())
                : group);
        lastGroup = job.jobSpec().replicaGroup();
      }
      if (replicas.size() > 1) {
        parts.add("replica=" + job.jobSpec().replicaNum());
      }
      parts.add("job=" + job.jobSpec().jobNum());
      labels.add(String.join(" ", parts));
    }
    return labels;
  }

  private void addJob(
      Table table, Job job, JobMetrics metrics, int width, String label, Instant[] window) {
    var resources = resources(job);
    int blanks = blankCells(metrics, window, width);
    int cells = width - blanks;
    table.row(
        label,
        "cpu",
        pad(cpuCell(metrics, resources, cells), blanks),
        pad(memoryCell(metrics, resources, cells), blanks));
    for (int gpu = 0; gpu < gpus(metrics, resources); gpu++) {
      table.row(
          "",
          "gpu=" + gpu,
          pad(gpuUtilCell(metrics, gpu, cells), blanks),
          pad(gpuMemoryCell(metrics, resources, gpu, cells), blanks));
    }
  }

  private static String cpuCell(JobMetrics metrics, InstanceType.Resources resources, int width) {
    var values = values(metrics, "cpu_usage_percent");
    if (values.isEmpty()) {
      return NO_DATA;
    }
    if (resources != null && resources.cpus() > 0) {
      // 100 is one core busy: as a share of the job's cores.
      values = values.stream().map(v -> v / resources.cpus()).toList();
    }
    return sparkline(values, width) + " " + Math.round(Math.rint(values.getLast())) + "%";
  }

  private static String memoryCell(
      JobMetrics metrics, InstanceType.Resources resources, int width) {
    var values = values(metrics, "memory_working_set_bytes");
    if (values.isEmpty()) {
      return NO_DATA;
    }
    Double total = resources == null ? null : resources.memoryMib() * 1024.0 * 1024.0;
    return capacityCell(values, total, width);
  }

  private static String gpuMemoryCell(
      JobMetrics metrics, InstanceType.Resources resources, int gpu, int width) {
    var values = values(metrics, "gpu_memory_usage_bytes_gpu" + gpu);
    if (values.isEmpty()) {
      return NO_DATA;
    }
    Double total = null;
    if (resources != null && gpu < resources.gpus().size()) {
      total = resources.gpus().get(gpu).memoryMib() * 1024.0 * 1024.0;
    }
    return capacityCell(values, total, width);
  }

  private static String gpuUtilCell(JobMetrics metrics, int gpu, int width) {
    var values = values(metrics, "gpu_util_percent_gpu" + gpu);
    if (values.isEmpty()) {
      return NO_DATA;
    }
    return sparkline(values, width) + " " + Math.round(Math.rint(values.getLast())) + "%";
  }

  /** A memory chart drawn against capacity, labelled {@code used/total}. */
  private static String capacityCell(List<Double> values, Double total, int width) {
    var percents =
        total != null && total > 0 ? values.stream().map(v -> v / total * 100).toList() : values;
    var label = formatMemory(values.getLast());
    if (total != null && total > 0) {
      label += "/" + formatMemory(total);
    }
    return sparkline(percents, width) + " " + label;
  }

  /** dstack's {@code format_memory} with no decimals: {@code 512MB}, {@code 3GB}. */
  static String formatMemory(double bytes) {
    double mb = bytes / 1024 / 1024;
    return mb >= 1024 ? Math.round(Math.rint(mb / 1024)) + "GB" : Math.round(Math.rint(mb)) + "MB";
  }

  /**
   * {@code values} (oldest first) in {@code width} cells on a fixed 0..100 scale: a cell's height
   * is the peak of the samples it covers; the last cell is the latest sample.
   */
  static String sparkline(List<Double> values, int width) {
    if (values.isEmpty()) {
      return NO_DATA;
    }
    var text = new StringBuilder();
    for (double peak : peaks(values, width)) {
      int index = (int) (Math.max(0.0, Math.min(100.0, peak)) / 100.0 * (SPARKS.length() - 1));
      text.append(SPARKS.charAt(index));
    }
    return text.toString();
  }

  /**
   * dstack's {@code slices}, the peaks only (the means colour a terminal, which we leave plain).
   */
  private static List<Double> peaks(List<Double> values, int width) {
    if (width < 1) {
      return List.of();
    }
    if (width == 1 || values.size() <= width) {
      return values.subList(Math.max(0, values.size() - width), values.size());
    }
    var history = values.subList(0, values.size() - 1);
    var peaks = new ArrayList<Double>();
    for (int i = 0; i < width - 1; i++) {
      int lo = (int) ((long) i * history.size() / (width - 1));
      int hi = Math.max(lo + 1, (int) ((long) (i + 1) * history.size() / (width - 1)));
      peaks.add(history.subList(lo, hi).stream().mapToDouble(Double::doubleValue).max().orElse(0));
    }
    peaks.add(values.getLast());
    return peaks;
  }

  private static String pad(String cell, int blanks) {
    return blanks <= 0 ? cell : " ".repeat(blanks) + cell;
  }

  /** The window every job is charted against: the newest sample back one retention hour. */
  private static Instant[] sharedWindow(List<JobMetrics> metrics) {
    Instant earliest = null;
    Instant latest = null;
    for (var job : metrics) {
      var window = jobWindow(job);
      if (window == null) {
        continue;
      }
      earliest = earliest == null || window[0].isBefore(earliest) ? window[0] : earliest;
      latest = latest == null || window[1].isAfter(latest) ? window[1] : latest;
    }
    if (latest == null) {
      return null;
    }
    var start = latest.minus(RETENTION);
    return new Instant[] {earliest.isBefore(start) ? earliest : start, latest};
  }

  private static Instant[] jobWindow(JobMetrics metrics) {
    Instant first = null;
    Instant last = null;
    for (var metric : metrics.metrics()) {
      for (var at : metric.timestamps()) {
        first = first == null || at.isBefore(first) ? at : first;
        last = last == null || at.isAfter(last) ? at : last;
      }
    }
    return first == null ? null : new Instant[] {first, last};
  }

  /** How many cells to leave empty before a job's chart, so it starts where it started. */
  private static int blankCells(JobMetrics metrics, Instant[] window, int width) {
    var job = jobWindow(metrics);
    if (job == null || window == null) {
      return 0;
    }
    double total = Duration.between(window[0], window[1]).toNanos() / 1e9;
    if (total <= 0) {
      return 0;
    }
    double started = Duration.between(window[0], job[0]).toNanos() / 1e9;
    return (int) Math.min(width - 1, Math.max(0, Math.rint(started / total * width)));
  }

  private static int cellsDrawn(JobMetrics metrics, Instant[] window, int width) {
    int blanks = blankCells(metrics, window, width);
    int samples = metrics.metrics().stream().mapToInt(m -> m.timestamps().size()).max().orElse(0);
    return blanks + Math.min(width - blanks, samples);
  }

  /** The timeline under the charts, exactly {@code width} columns wide. */
  String timeAxis(int width, Instant first, Instant last) {
    var left = timeLabel(first, false);
    var right = timeLabel(last, false);
    if (left.length() + right.length() + 3 > width) {
      left = timeLabel(first, true);
      right = timeLabel(last, true);
    }
    if (left.length() + right.length() + 2 > width) {
      return "";
    }
    int fill = width - left.length() - right.length() - 2;
    return left + " " + AXIS_RULE.repeat(fill) + " " + right;
  }

  private String timeLabel(Instant moment, boolean clockOnly) {
    if (Duration.between(moment, now).compareTo(LIVE_THRESHOLD) < 0) {
      return NOW;
    }
    var local = moment.atZone(zone);
    return clockOnly ? CLOCK.format(local) : DAY.format(local);
  }

  /** Values of the series, oldest first (the server sends the newest first). */
  private static List<Double> values(JobMetrics metrics, String name) {
    return metrics
        .metric(name)
        .map(m -> m.values().stream().map(Number::doubleValue).toList().reversed())
        .orElse(List.of());
  }

  private static int gpus(JobMetrics metrics, InstanceType.Resources resources) {
    if (resources != null && !resources.gpus().isEmpty()) {
      return resources.gpus().size();
    }
    var detected = values(metrics, "gpus_detected_num");
    return detected.isEmpty() ? 0 : (int) Math.round(detected.getLast());
  }

  /** What the job was given: its runtime data's offer, else its instance type. */
  static InstanceType.Resources resources(Job job) {
    var submission = job.latestSubmission();
    if (submission == null) {
      return null;
    }
    var runtime = submission.jobRuntimeData();
    if (runtime != null && runtime.offer() != null) {
      return runtime.offer().instance().resources();
    }
    var provisioning = submission.jobProvisioningData();
    return provisioning == null ? null : provisioning.instanceType().resources();
  }
}
