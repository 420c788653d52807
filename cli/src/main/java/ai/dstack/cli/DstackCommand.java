package ai.dstack.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code dstack} command: the entry point of the CLI. */
@Command(
    name = "dstack",
    mixinStandardHelpOptions = true,
    versionProvider = DstackCommand.Version.class,
    description = "dstack: dev environments, tasks, services and fleets on GPU clouds and hosts.",
    subcommands = {
      ApplyCommand.class,
      PsCommand.class,
      LogsCommand.class,
      StopCommand.class,
      DeleteCommand.class,
      OfferCommand.class,
      FleetCommand.class,
      VolumeCommand.class,
      GatewayCommand.class,
      SecretCommand.class,
      ProjectCommand.class,
      MetricsCommand.class,
      EventCommand.class,
      ServerCommand.class,
      ValidateCommand.class,
      SchemaCommand.class,
      CompletionCommand.class
    })
public final class DstackCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line, also used by tests to run the CLI in-process. */
  public static CommandLine commandLine() {
    return new CommandLine(new DstackCommand())
        .setExecutionExceptionHandler(new ErrorReporter())
        .setExitCodeExceptionMapper(e -> ExitCodes.USAGE)
        .setParameterExceptionHandler(
            (e, args) -> {
              var err = e.getCommandLine().getErr();
              err.println(e.getMessage());
              err.println(
                  "See '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
              return ExitCodes.USAGE;
            });
  }

  /** The version, from the jar's manifest when packaged. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      var version = DstackCommand.class.getPackage().getImplementationVersion();
      return new String[] {"dstack " + (version == null ? "(development build)" : version)};
    }
  }
}
