package ai.dstack.cli;

import ai.dstack.core.configurations.DevEnvironmentConfiguration;
import ai.dstack.core.configurations.TaskConfiguration;
import ai.dstack.core.runs.RetryEvent;
import ai.dstack.core.runs.wire.JobSpec;
import ai.dstack.core.runs.wire.RunPlan;
import java.io.PrintWriter;
import java.util.stream.Collectors;

/**
 * A run plan as {@code dstack apply} shows it before asking: the project, user and configuration,
 * what the first job requires (resources, spot policy, max price, retry, durations), then its best
 * offers.
 */
final class RunPlanView {
  private RunPlanView() {}

  /** dstack's idle duration of an instance a run provisions, when the profile sets none. */
  private static final long DEFAULT_IDLE_DURATION = 5 * 60;

  static final String NO_OFFERS =
      "No matching instance offers available. Possible reasons:"
          + " https://dstack.ai/docs/guides/troubleshooting/#no-offers";

  static final String NO_FLEETS =
      "The project has no fleets. Create one before submitting a run."
          + " See https://dstack.ai/docs/guides/troubleshooting/#no-fleets";

  /**
   * Prints {@code plan}.
   *
   * @param configuration the configuration file as given
   * @param maxOffers how many offers to show
   * @param noFleets whether the project has no fleet (said when there is no offer)
   */
  static void print(
      PrintWriter out, RunPlan plan, String configuration, int maxOffers, boolean noFleets) {
    var spec = plan.effectiveRunSpec() != null ? plan.effectiveRunSpec() : plan.runSpec();
    var jobPlan = plan.jobPlans().getFirst();
    var job = jobPlan.jobSpec();
    var requirements = job.requirements();
    var profile = spec.profile();
    var type = spec.type();
    if (spec.configuration() instanceof TaskConfiguration task) {
      type += " (nodes=" + (task.nodes() == null ? 1 : task.nodes()) + ")";
    }
    var properties =
        new PropertyList()
            .add("Project", plan.projectName())
            .add("User", plan.user())
            .add("Configuration", configuration)
            .add("Type", type)
            .add("Resources", resources(requirements))
            .add("Spot policy", spotPolicy(requirements.spot()))
            .add(
                "Max price",
                requirements.maxPrice() == null || requirements.maxPrice() == 0
                    ? "off"
                    : Pretty.maxPrice(requirements.maxPrice()))
            .add("Retry policy", retry(job.retry()));
    var creationPolicy = profile.creationPolicy();
    if (creationPolicy != null && !creationPolicy.equals("reuse-or-create")) {
      properties.add("Creation policy", creationPolicy);
    }
    var idle = profile.idleDuration() == null ? DEFAULT_IDLE_DURATION : profile.idleDuration();
    properties
        .add("Idle duration", idle < 0 ? "-" : duration(idle))
        .add(
            "Max duration",
            job.maxDuration() == null || job.maxDuration() <= 0
                ? "off"
                : duration(job.maxDuration()));
    if (spec.configuration() instanceof DevEnvironmentConfiguration dev) {
      properties.add(
          "Inactivity duration",
          dev.inactivityDuration() == null ? "off" : duration(dev.inactivityDuration()));
    }
    properties.add("Reservation", profile.reservation());
    properties.print(out);

    var offers = jobPlan.offers();
    var shown = offers.subList(0, Math.min(Math.max(maxOffers, 0), offers.size()));
    if (shown.isEmpty()) {
      out.println(noFleets ? NO_FLEETS : NO_OFFERS);
    } else {
      OffersTable.print(out, shown, jobPlan.totalOffers(), jobPlan.maxPrice());
    }
    out.println();
    out.flush();
  }

  /** The resources part of the requirements, e.g. {@code cpu=2.. mem=8GB.. disk=100GB..}. */
  static String resources(JobSpec.Requirements requirements) {
    return new JobSpec.Requirements(requirements.resources(), null, null, null, null, null)
        .describe();
  }

  static String spotPolicy(Boolean spot) {
    return spot == null ? "auto" : spot ? "spot" : "on-demand";
  }

  private static String retry(JobSpec.Retry retry) {
    if (retry == null) {
      return "off";
    }
    return duration(retry.duration())
        + "["
        + retry.onEvents().stream().map(RetryEvent::value).collect(Collectors.joining(", "))
        + "]";
  }

  /** A duration as dstack prints it: in the largest unit that divides it, e.g. 90m, 2h, 1w. */
  static String duration(long seconds) {
    if (seconds == 0) {
      return "0s";
    }
    long[] multipliers = {7 * 24 * 3600, 24 * 3600, 3600, 60, 1};
    String[] units = {"w", "d", "h", "m", "s"};
    for (int i = 0; i < units.length; i++) {
      if (seconds % multipliers[i] == 0) {
        return seconds / multipliers[i] + units[i];
      }
    }
    return seconds + "s";
  }
}
