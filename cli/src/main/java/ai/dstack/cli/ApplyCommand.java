package ai.dstack.cli;

import ai.dstack.core.api.repos.SaveRepoCredsRequest;
import ai.dstack.core.api.runs.GetRunPlanRequest;
import ai.dstack.core.api.runs.GetRunRequest;
import ai.dstack.core.api.runs.StopRunsRequest;
import ai.dstack.core.runs.wire.ApplyAction;
import ai.dstack.core.runs.wire.RunSpec;
import ai.dstack.core.runs.wire.RunSpecDiff;
import ai.dstack.sdk.Dstack;
import ai.dstack.sdk.api.DstackException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code dstack apply}: plans a configuration, shows the plan, asks, and applies it. A task,
 * service or dev environment is submitted as a run (or an active run of the same name is updated,
 * or stopped and replaced), then followed until it ends ({@link Attach}) unless {@code -d}; fleets,
 * volumes and gateways go to their own endpoints ({@link OtherConfigurations}).
 */
@Command(
    name = "apply",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Apply a configuration: submit a run (task, service, dev-environment) and follow it until it"
          + " ends, or create a fleet, volume or gateway.",
      "The plan and questions go to stderr; the run's log to stdout."
    })
final class ApplyCommand implements Callable<Integer> {

  private static final Set<String> RUN_TYPES = Set.of("task", "service", "dev-environment");

  @Option(
      names = {"-f", "--file"},
      paramLabel = "FILE",
      description = "The configuration file; - reads stdin (with -y). Default: .dstack.yml here.")
  String file;

  @Option(
      names = {"-y", "--yes"},
      description = "Do not ask for confirmation.")
  boolean yes;

  @Option(names = "--force", description = "Apply even when no changes are detected.")
  boolean force;

  @Option(
      names = {"-d", "--detach"},
      description = "Exit once the configuration is submitted, without following the run.")
  boolean detach;

  @Option(
      names = {"-n", "--name"},
      paramLabel = "NAME",
      description =
          "The name of the run (or fleet, volume, gateway); default: the configuration's.")
  String name;

  @Option(
      names = {"-e", "--env"},
      paramLabel = "KEY[=VALUE]",
      description = "An environment variable of the run (repeatable); KEY alone takes yours.")
  List<String> env = new ArrayList<>();

  @Option(
      names = "--max-offers",
      paramLabel = "N",
      defaultValue = "3",
      description = "How many offers the plan shows (default: ${DEFAULT-VALUE}).")
  int maxOffers;

  @Mixin RunFlags flags;

  @Mixin ProjectOptions project;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    var commandLine = spec.commandLine();
    if (ConfigurationFile.STDIN.equals(file) && !yes) {
      throw new ParameterException(
          commandLine, "-f - reads the configuration from stdin, so it needs -y to not ask");
    }
    for (var variable : env) {
      if (!RunSpecJson.ENV_FLAG.matcher(variable).matches()) {
        throw new ParameterException(
            commandLine,
            "-e " + variable + ": expected KEY=VALUE or KEY (a name of letters, digits and _)");
      }
    }
    var overrides = flags.overrides(commandLine);
    var configuration = ConfigurationFile.load(file, System.in);
    if (!RUN_TYPES.contains(configuration.type())) {
      var runOnly = new ArrayList<>(overrides.flags());
      if (!env.isEmpty()) {
        runOnly.addFirst("-e");
      }
      if (!runOnly.isEmpty()) {
        throw new ParameterException(
            commandLine,
            String.join(", ", runOnly)
                + " apply to runs (task, service, dev-environment), not to a "
                + configuration.type()
                + " configuration");
      }
      try (var dstack = project.connect()) {
        return new OtherConfigurations(dstack, commandLine, yes, force, detach)
            .apply(configuration, name);
      }
    }
    // Checked before anything is sent: an invalid file, flag or variable is reported alone.
    var runSpec = RunSpecJson.of(configuration, overrides, name, env, System.getenv());
    try (var dstack = project.connect()) {
      return applyRun(dstack, configuration, runSpec);
    }
  }

  private int applyRun(Dstack dstack, ConfigurationFile configuration, RunSpec runSpec)
      throws InterruptedException {
    var err = spec.commandLine().getErr();
    var out = spec.commandLine().getOut();
    var api = dstack.api();
    var projectName = dstack.project();
    // As dstack's CLI: the repo first (the virtual one: runs here carry no code), then the plan.
    api.repos().init(projectName, SaveRepoCredsRequest.virtual());
    var plan = api.runs().getPlan(projectName, GetRunPlanRequest.of(runSpec, maxOffers));
    var noFleets = plan.jobPlans().getFirst().offers().isEmpty() && dstack.fleets().isEmpty();
    RunPlanView.print(err, plan, configuration.name(), maxOffers, noFleets);

    var runName = plan.runSpec().runName();
    var question = runName == null ? "Submit a new run?" : "Submit the run " + runName + "?";
    String stopFirst = null;
    var current = plan.currentResource();
    if (current != null) {
      var effective = plan.effectiveRunSpec() == null ? plan.runSpec() : plan.effectiveRunSpec();
      var diff = render(RunSpecDiff.between(current.runSpec(), effective));
      var currentName = current.runSpec().runName();
      if (plan.action() == ApplyAction.UPDATE && !diff.isEmpty()) {
        err.println(
            "Active run "
                + currentName
                + " already exists. Detected changes that can be updated in-place:\n"
                + diff);
        question = "Update the run?";
      } else if (plan.action() == ApplyAction.UPDATE) {
        stopFirst = currentName;
        err.println("Active run " + currentName + " already exists. Detected no changes.");
        if (yes && !force) {
          err.println("Use --force to apply anyway.");
          err.flush();
          return ExitCodes.OK;
        }
        question = "Stop and override the run?";
      } else if (!current.status().isFinished()) {
        stopFirst = currentName;
        err.println(
            "Active run "
                + currentName
                + " already exists. Detected changes that cannot be updated in-place:\n"
                + diff);
        question = "Stop and override the run?";
      }
    }
    if (!Prompts.proceed(err, question, yes)) {
      return ExitCodes.OK;
    }
    if (stopFirst != null) {
      stopAndWait(dstack, stopFirst, err);
    }
    var run = dstack.apply(plan);
    if (detach) {
      // A run stopped first was replaced, not updated.
      var verb = plan.action() == ApplyAction.UPDATE && stopFirst == null ? "updated" : "submitted";
      out.println("Run " + run.name() + " " + verb + ", detaching...");
      out.flush();
      return ExitCodes.OK;
    }
    out.flush();
    err.flush();
    return new Attach(run, err, System.out, Terminal.interactive()).follow();
  }

  /** Stops the active run and waits until it has finished, as dstack does before replacing it. */
  private static void stopAndWait(Dstack dstack, String runName, PrintWriter err)
      throws InterruptedException {
    err.println("Stopping run " + runName + "...");
    err.flush();
    var api = dstack.api();
    api.runs().stop(dstack.project(), new StopRunsRequest(List.of(runName), false));
    while (true) {
      try {
        var run = api.runs().get(dstack.project(), GetRunRequest.byName(runName));
        if (run.status().isFinished()) {
          return;
        }
      } catch (DstackException.NotFound gone) {
        return;
      }
      Thread.sleep(Duration.ofSeconds(1));
    }
  }

  /** What changed, as dstack lists it: one item a field, the configuration's fields nested. */
  static String render(RunSpecDiff diff) {
    var text = new StringBuilder();
    for (var field : diff.specFields()) {
      switch (field) {
        case "merged_profile" -> {}
        case "configuration" -> {
          text.append("- Configuration properties:\n");
          diff.configurationFields().forEach(f -> text.append("  - ").append(f).append('\n'));
        }
        case "profile" -> text.append("- Profile\n");
        case "repo_id" -> text.append("- Repo ID\n");
        case "repo_code_hash" -> text.append("- Repo files\n");
        case "repo_data" -> text.append("- Repo state (branch, commit, or other)\n");
        case "ssh_key_pub" -> text.append("- Public SSH key\n");
        default -> {
          var words = field.replace('_', ' ');
          text.append("- ")
              .append(Character.toUpperCase(words.charAt(0)))
              .append(words.substring(1))
              .append('\n');
        }
      }
    }
    return text.toString().stripTrailing();
  }
}
