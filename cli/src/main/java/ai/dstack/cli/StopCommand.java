package ai.dstack.cli;

import ai.dstack.core.api.runs.GetRunRequest;
import ai.dstack.core.api.runs.StopRunsRequest;
import ai.dstack.sdk.api.DstackException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code dstack stop RUN...}: asks the server to stop runs, gracefully (their jobs get the stop
 * signal and the stop duration to exit) or at once with {@code -x}. Does not wait for them to end;
 * stopping a finished run does nothing.
 */
@Command(
    name = "stop",
    mixinStandardHelpOptions = true,
    description = "Stop runs (gracefully; -x aborts them at once). Does not wait for the end.")
final class StopCommand implements Callable<Integer> {

  @Mixin ProjectOptions project;

  @Option(
      names = {"-x", "--abort"},
      description = "Abort: end the runs at once, without a graceful stop.")
  boolean abort;

  @Option(
      names = {"-y", "--yes"},
      description = "Do not ask for confirmation.")
  boolean yes;

  @Parameters(arity = "1..*", paramLabel = "RUN", description = "The runs' names.")
  List<String> runNames;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    var runs = runNames.stream().distinct().toList();
    try (var dstack = project.connect()) {
      // Every run must exist before any is stopped.
      for (var name : runs) {
        try {
          dstack.api().runs().get(dstack.project(), GetRunRequest.byName(name));
        } catch (DstackException.NotFound e) {
          throw new CliException("Run " + name + " not found");
        }
      }
      String question =
          (abort ? "Abort" : "Stop")
              + (runs.size() == 1 ? " the run " : " the runs ")
              + String.join(", ", runs)
              + "?";
      if (!Prompts.confirm(spec.commandLine().getErr(), question, yes)) {
        return ExitCodes.OK;
      }
      dstack.api().runs().stop(dstack.project(), new StopRunsRequest(runs, abort));
    }
    var out = spec.commandLine().getOut();
    out.println(abort ? "Aborted" : "Stopped");
    out.flush();
    return ExitCodes.OK;
  }
}
