package ai.dstack.cli;

import ai.dstack.core.agents.shim.ImagePullProgress;
import ai.dstack.core.configurations.ServiceConfiguration;
import ai.dstack.core.runs.JobStatus;
import ai.dstack.core.runs.wire.InstanceOfferWithAvailability;
import ai.dstack.core.runs.wire.InstanceType;
import ai.dstack.core.runs.wire.Job;
import ai.dstack.core.runs.wire.JobSpec;
import ai.dstack.core.runs.wire.JobSubmission;
import ai.dstack.core.runs.wire.Run;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * The runs table of {@code dstack ps} (and of {@code dstack apply}), laid out as dstack's: NAME,
 * BACKEND, GPU (RESOURCES and INSTANCE TYPE with verbose), PRICE, STATUS, PROBES (verbose, or while
 * a service deploys), SUBMITTED, ERROR (verbose). A run of one job is one row; a run of several has
 * a row of its own, then one indented row per job ({@code replica=N job=M} where they differ).
 */
final class RunTable {
  private RunTable() {}

  /** Prints the runs, newest first as given; an empty list prints the header alone. */
  static void print(PrintWriter out, List<Run> runs, boolean verbose) {
    table(runs, verbose, Instant.now()).print(out);
  }

  /** The table of {@code runs}, dates relative to {@code now}. */
  static Table table(List<Run> runs, boolean verbose, Instant now) {
    var columns = new ArrayList<String>(List.of("NAME", "BACKEND"));
    if (verbose) {
      columns.addAll(List.of("RESOURCES", "INSTANCE TYPE"));
    } else {
      columns.add("GPU");
    }
    columns.addAll(List.of("PRICE", "STATUS"));
    if (verbose || runs.stream().anyMatch(RunTable::deployingWithProbes)) {
      columns.add("PROBES");
    }
    columns.add("SUBMITTED");
    if (verbose) {
      columns.add("ERROR");
    }
    var table = new Table(columns.toArray(String[]::new));
    for (var run : runs) {
      for (var row : rows(run, verbose, now)) {
        table.row(columns.stream().map(c -> row.getOrDefault(c, "")).toArray());
      }
    }
    return table;
  }

  private static List<Map<String, String>> rows(Run run, boolean verbose, Instant now) {
    boolean showDeployment =
        (verbose && run.runSpec().configuration() instanceof ServiceConfiguration)
            || deploymentInProgress(run);
    boolean showReplica =
        run.jobs().stream().map(j -> j.jobSpec().replicaNum()).distinct().count() > 1;
    var jobNumsByReplica = new HashMap<Integer, HashSet<Integer>>();
    for (var job : run.jobs()) {
      jobNumsByReplica
          .computeIfAbsent(job.jobSpec().replicaNum(), r -> new HashSet<>())
          .add(job.jobSpec().jobNum());
    }
    boolean showJob = jobNumsByReplica.values().stream().anyMatch(nums -> nums.size() > 1);
    boolean merge = run.jobs().size() == 1 && !showDeployment;

    var rows = new ArrayList<Map<String, String>>();
    var runRow = new HashMap<String, String>();
    runRow.put(
        "NAME",
        run.runSpec().runName() + (showDeployment ? " deployment=" + run.deploymentNum() : ""));
    runRow.put("SUBMITTED", Pretty.ago(run.submittedAt(), now));
    runRow.put("STATUS", runStatus(run));
    runRow.put("RESOURCES", "-");
    runRow.put("GPU", "-");
    runRow.put("PRICE", "-");
    if (run.error() != null && !run.error().isEmpty()) {
      runRow.put("ERROR", run.error());
    }
    if (!merge) {
      rows.add(runRow);
    }

    var groupIndex = groupIndexes(run);
    var jobs = new ArrayList<>(run.jobs());
    jobs.sort(
        Comparator.comparingInt(
                (Job j) -> groupIndex.getOrDefault(j.jobSpec().replicaGroup(), Integer.MAX_VALUE))
            .thenComparingInt(j -> j.jobSpec().replicaNum()));
    Integer lastShownGroup = null;
    for (var job : jobs) {
      var submission = job.latestSubmission();
      if (submission == null) {
        continue;
      }
      Integer group = groupIndex.isEmpty() ? null : groupIndex.get(job.jobSpec().replicaGroup());
      var jobRow = new HashMap<String, String>();
      jobRow.put(
          "NAME",
          jobName(job, submission, showDeployment, showReplica, showJob, group, lastShownGroup));
      jobRow.put("STATUS", jobStatus(submission, verbose));
      jobRow.put("PROBES", probes(job.jobSpec().probes(), submission));
      jobRow.put("SUBMITTED", Pretty.ago(submission.submittedAt(), now));
      jobRow.put("ERROR", submission.error());
      jobRow.put("RESOURCES", "-");
      jobRow.put("GPU", "-");
      jobRow.put("PRICE", "-");
      if (group != null) {
        lastShownGroup = group;
      }
      var provisioning = submission.jobProvisioningData();
      if (provisioning != null) {
        InstanceType instanceType = provisioning.instanceType();
        double price = provisioning.price();
        InstanceOfferWithAvailability shared = null;
        var runtime = submission.jobRuntimeData();
        // On a shared instance (blocks) the job's share is the runtime data's offer, not the
        // whole instance the provisioning data describes.
        if (runtime != null && runtime.offer() != null && runtime.offer().totalBlocks() > 1) {
          shared = runtime.offer();
          instanceType = shared.instance();
          price = shared.price();
        }
        var resources = instanceType.resources();
        jobRow.put("BACKEND", Pretty.backend(provisioning.backend(), provisioning.region()));
        jobRow.put("RESOURCES", Pretty.resources(resources));
        jobRow.put("GPU", Pretty.gpus(resources));
        jobRow.put("INSTANCE TYPE", instanceType(instanceType, shared, provisioning.reservation()));
        jobRow.put("PRICE", price(price, resources.spot()));
      }
      if (merge) {
        var merged = new HashMap<>(jobRow);
        merged.putAll(runRow);
        for (var kept : List.of("RESOURCES", "GPU", "PRICE", "STATUS")) {
          merged.put(kept, jobRow.get(kept));
        }
        jobRow = merged;
      }
      rows.add(jobRow);
    }
    return rows;
  }

  /**
   * The run's status text: a finished run shows why its (first) job ended ({@code exited (0)},
   * {@code stopped}, {@code aborted}, {@code no capacity}); an active one the run's own message.
   */
  static String runStatus(Run run) {
    var latest = run.latestJobSubmission();
    return run.status().isFinished() && latest != null
        ? latest.statusMessage()
        : run.statusMessage();
  }

  private static String jobStatus(JobSubmission submission, boolean verbose) {
    var text = new StringBuilder(submission.statusMessage());
    if (submission.status() == JobStatus.PULLING && submission.imagePullProgress() != null) {
      text.append(' ').append(pullProgress(submission.imagePullProgress()));
    }
    if (verbose && submission.inactivitySecs() != null && submission.inactivitySecs() != 0) {
      text.append(" (inactive for ")
          .append(durationMultiUnit(submission.inactivitySecs()))
          .append(')');
    }
    return text.toString();
  }

  private static String jobName(
      Job job,
      JobSubmission submission,
      boolean showDeployment,
      boolean showReplica,
      boolean showJob,
      Integer group,
      Integer lastShownGroup) {
    var parts = new ArrayList<String>();
    String prefix = "   ";
    if (showReplica) {
      int replica = job.jobSpec().replicaNum();
      if (group != null && !group.equals(lastShownGroup)) {
        parts.add("group=" + group + " replica=" + replica);
      } else if (group != null) {
        // Later jobs of a group: "replica=" under the first job's "replica=".
        prefix = " ".repeat(3 + ("group=" + lastShownGroup).length() + 1);
        parts.add("replica=" + replica);
      } else {
        parts.add("replica=" + replica);
      }
    }
    if (showJob) {
      parts.add("job=" + job.jobSpec().jobNum());
    }
    return prefix
        + String.join(" ", parts)
        + (showDeployment ? " deployment=" + submission.deploymentNum() : "");
  }

  private static String instanceType(
      InstanceType type, InstanceOfferWithAvailability shared, String reservation) {
    var text = new StringBuilder(type.name());
    if (shared != null) {
      text.append(" (")
          .append(shared.blocks())
          .append('/')
          .append(shared.totalBlocks())
          .append(')');
    }
    if (reservation != null) {
      text.append(" (").append(reservation).append(')');
    }
    return text.toString();
  }

  /** ✓ ready, ~ succeeding but not yet ready, × failing; for a running job, in groups of five. */
  private static String probes(List<JobSpec.ProbeSpec> specs, JobSubmission submission) {
    var probes = submission.probes();
    if (probes.isEmpty() || submission.status() != JobStatus.RUNNING) {
      return "";
    }
    var text = new StringBuilder();
    for (int i = 0; i < Math.min(specs.size(), probes.size()); i++) {
      if (i > 0 && i % 5 == 0) {
        text.append(' ');
      }
      int streak = probes.get(i).successStreak();
      text.append(streak >= specs.get(i).readyAfter() ? "✓" : streak > 0 ? "~" : "×");
    }
    return text.toString();
  }

  private static Map<String, Integer> groupIndexes(Run run) {
    var indexes = new HashMap<String, Integer>();
    if (run.runSpec().configuration() instanceof ServiceConfiguration service
        && service.groups() != null) {
      for (int i = 0; i < service.groups().size(); i++) {
        var name = service.groups().get(i).name();
        if (name != null) {
          indexes.put(name, i);
        }
      }
    }
    return indexes;
  }

  private static boolean deploymentInProgress(Run run) {
    return run.jobs().stream()
        .map(Job::latestSubmission)
        .anyMatch(
            s -> s != null && !s.status().isFinished() && s.deploymentNum() != run.deploymentNum());
  }

  private static boolean deployingWithProbes(Run run) {
    return deploymentInProgress(run)
        && run.jobs().stream()
            .map(Job::latestSubmission)
            .anyMatch(s -> s != null && !s.probes().isEmpty());
  }

  /** A price per hour as dstack's runs table shows it: {@code $0.1234}, {@code $1.5 (spot)}. */
  static String price(double price, boolean spot) {
    return Pretty.price(price) + (spot ? " (spot)" : "");
  }

  /** Seconds as dstack's {@code format_duration_multiunit}: {@code 1h 15m 45s}, {@code 0s}. */
  static String durationMultiUnit(long seconds) {
    long[] multipliers = {7 * 86400, 86400, 3600, 60, 1};
    String[] units = {"w", "d", "h", "m", "s"};
    var text = new StringBuilder();
    long left = seconds;
    for (int i = 0; i < units.length; i++) {
      long value = left / multipliers[i];
      if (value > 0) {
        text.append(text.isEmpty() ? "" : " ").append(value).append(units[i]);
        left -= value * multipliers[i];
      }
    }
    return text.isEmpty() ? "0s" : text.toString();
  }

  /**
   * An image pull's progress as dstack shows it after {@code pulling}: extracted / downloaded /
   * total, in MB (GB from 1 GB on), the total with {@code ≥} while not final.
   */
  static String pullProgress(ImagePullProgress progress) {
    boolean gb = progress.totalBytes() >= (1L << 30);
    String total = (progress.isTotalBytesFinal() ? "" : "≥") + size(progress.totalBytes(), gb);
    return size(progress.extractedBytes(), gb)
        + "/"
        + size(progress.downloadedBytes(), gb)
        + "/"
        + total
        + (gb ? "GB" : "MB");
  }

  private static String size(long bytes, boolean gb) {
    var value = new BigDecimal(bytes).divide(BigDecimal.valueOf(gb ? 1L << 30 : 1L << 20));
    return value.setScale(gb ? 2 : 0, RoundingMode.HALF_EVEN).toPlainString();
  }
}
