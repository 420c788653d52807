package ai.dstack.cli;

import ai.dstack.core.api.gpus.GpuGroup;
import ai.dstack.core.api.gpus.ListGpusRequest;
import ai.dstack.core.api.runs.GetRunPlanRequest;
import ai.dstack.core.runs.wire.RunSpec;
import ai.dstack.sdk.Dstack;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code dstack offer}: the offers for some resources, as {@code runs/get_plan} of a task that asks
 * them ({@code for_offers_only}), as a table or {@code --json}; {@code --group-by gpu,...} groups
 * them by GPU as dstack's GPU table does.
 */
@Command(
    name = "offer",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = "List the offers for the resources asked (by default any), best first.")
final class OfferCommand implements Callable<Integer> {

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      defaultValue = "plain",
      description = "plain (a table, the default) or json.")
  String format;

  @Option(names = "--json", description = "JSON output, as --format json.")
  boolean json;

  @Option(
      names = "--group-by",
      paramLabel = "FIELDS",
      split = ",",
      description =
          "Group by gpu, backend, region, count (repeatable or comma-separated; must include gpu;"
              + " region needs backend).")
  List<String> groupBy = new ArrayList<>();

  @Option(
      names = "--max-offers",
      paramLabel = "N",
      defaultValue = "50",
      description = "How many offers to show (default: ${DEFAULT-VALUE}).")
  int maxOffers;

  @Mixin RunFlags flags;

  @Mixin ProjectOptions project;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    var commandLine = spec.commandLine();
    if (!format.equals("plain") && !format.equals("json")) {
      throw new ParameterException(commandLine, "--format " + format + ": expected plain or json");
    }
    boolean asJson = json || format.equals("json");
    var fields = groupBy(commandLine);
    var runSpec = RunSpecJson.forOffers(flags.overrides(commandLine));
    try (var dstack = project.connect()) {
      var out = commandLine.getOut();
      if (!fields.isEmpty()) {
        return printGroups(dstack, runSpec, fields, asJson, out);
      }
      var plan =
          dstack
              .api()
              .runs()
              .getPlan(
                  dstack.project(), new GetRunPlanRequest(runSpec, maxOffers, false, false, true));
      var jobPlan = plan.jobPlans().getFirst();
      var requirements = jobPlan.jobSpec().requirements();
      var offers = jobPlan.offers();
      var shown = offers.subList(0, Math.min(Math.max(maxOffers, 0), offers.size()));
      if (asJson) {
        var output = new LinkedHashMap<String, Object>();
        output.put("project", plan.projectName());
        output.put("user", plan.user());
        output.put(
            "requirements",
            requirements(runSpec, requirements.resources(), requirements.maxPrice()));
        output.put("offers", shown);
        output.put("total_offers", jobPlan.totalOffers());
        JsonOutput.print(out, output);
        return ExitCodes.OK;
      }
      new PropertyList()
          .add("Project", plan.projectName())
          .add("Resources", RunPlanView.resources(requirements))
          .add("Spot policy", RunPlanView.spotPolicy(requirements.spot()))
          .add(
              "Max price",
              requirements.maxPrice() == null || requirements.maxPrice() == 0
                  ? "off"
                  : Pretty.maxPrice(requirements.maxPrice()))
          .print(out);
      if (shown.isEmpty()) {
        out.println(RunPlanView.NO_OFFERS);
      } else {
        OffersTable.print(out, shown, jobPlan.totalOffers(), jobPlan.maxPrice());
      }
      out.flush();
      return ExitCodes.OK;
    }
  }

  /** {@code --group-by}: one {@code gpus/list} call, as dstack's CLI makes it. */
  private int printGroups(
      Dstack dstack, RunSpec runSpec, List<String> fields, boolean asJson, PrintWriter out) {
    var listed =
        dstack
            .api()
            .gpus()
            .list(
                dstack.project(),
                ListGpusRequest.of(
                    runSpec, fields.stream().filter(f -> !f.equals("gpu")).toList()));
    List<GpuGroup> groups = listed.gpus() == null ? List.of() : listed.gpus();
    if (asJson) {
      var output = new LinkedHashMap<String, Object>();
      output.put("project", dstack.project());
      output.put("requirements", requirements(runSpec, runSpec.params().resources()));
      output.put("group_by", fields);
      output.put("gpus", groups);
      JsonOutput.print(out, output);
      return ExitCodes.OK;
    }
    var profile = runSpec.profile();
    new PropertyList()
        .add("Project", dstack.project())
        .add(
            "Resources",
            RunPlanView.resources(
                new ai.dstack.core.runs.wire.JobSpec.Requirements(
                    runSpec.params().resources(), null, null, null, null, null)))
        .add("Spot policy", RunPlanView.spotPolicy(spot(runSpec)))
        .add(
            "Max price",
            profile.maxPrice() == null || profile.maxPrice() == 0
                ? "-"
                : Pretty.maxPrice(profile.maxPrice()))
        .add("Reservation", profile.reservation() == null ? "-" : profile.reservation())
        .add("Group by", String.join(", ", fields))
        .print(out);
    GpuGroups.print(out, groups);
    if (groups.isEmpty()) {
      out.println();
      out.println("No offer has GPUs; `dstack offer` without --group-by lists the others.");
    }
    out.flush();
    return ExitCodes.OK;
  }

  /** The fields of {@code --group-by}, checked as dstack checks them. */
  private List<String> groupBy(CommandLine commandLine) {
    var fields = new ArrayList<String>();
    for (var value : groupBy) {
      var field = value.strip().toLowerCase(Locale.ROOT);
      if (field.isEmpty()) {
        continue;
      }
      if (!GpuGroups.FIELDS.contains(field)) {
        throw new ParameterException(
            commandLine,
            "Invalid --group-by value: '"
                + field
                + "'. Valid choices are: "
                + String.join(", ", new TreeSet<>(GpuGroups.FIELDS)));
      }
      if (!fields.contains(field)) {
        fields.add(field);
      }
    }
    if (!fields.isEmpty() && !fields.contains("gpu")) {
      throw new ParameterException(
          commandLine,
          "Cannot group by '" + String.join(", ", fields) + "' without also grouping by 'gpu'");
    }
    if (fields.contains("region") && !fields.contains("backend")) {
      throw new ParameterException(
          commandLine, "Cannot group by 'region' without also grouping by 'backend'");
    }
    return fields;
  }

  private static LinkedHashMap<String, Object> requirements(RunSpec runSpec, Object resources) {
    return requirements(runSpec, resources, runSpec.profile().maxPrice());
  }

  /** dstack's {@code OfferRequirements}: resources, max price, spot (null: either), reservation. */
  private static LinkedHashMap<String, Object> requirements(
      RunSpec runSpec, Object resources, Double maxPrice) {
    var requirements = new LinkedHashMap<String, Object>();
    requirements.put("resources", resources);
    requirements.put("max_price", maxPrice);
    requirements.put("spot", spot(runSpec));
    requirements.put("reservation", runSpec.profile().reservation());
    return requirements;
  }

  /** The spot policy as a requirement: true (spot), false (on-demand), null (either). */
  private static Boolean spot(RunSpec runSpec) {
    var policy = runSpec.profile().spotPolicy();
    if (policy == null || policy.equals("auto")) {
      return null;
    }
    return policy.equals("spot");
  }
}
