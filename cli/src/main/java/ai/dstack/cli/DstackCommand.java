package ai.dstack.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code dstack} command: the entry point of the CLI. */
@Command(
    name = "dstack",
    mixinStandardHelpOptions = true,
    versionProvider = DstackCommand.Version.class,
    description = "dstack: dev environments, tasks, services and fleets on GPU clouds and hosts.")
public final class DstackCommand implements Runnable {

  /** The subcommands, in the order {@code dstack --help} lists them. */
  private static final List<Class<?>> COMMANDS =
      List.of(
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
          CompletionCommand.class);

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    System.exit(commandLine(args).execute(args));
  }

  /** The configured command line with every subcommand, also used by tests and completion. */
  public static CommandLine commandLine() {
    return configure(new CommandLine(new DstackCommand()), COMMANDS);
  }

  /**
   * The command line to run {@code args}: with only the subcommand {@code args} names (picocli's
   * model of all of them takes a third of a second to build), or all of them when {@code args}
   * names none (help, version, a mistyped command, which picocli then suggests a match for).
   */
  static CommandLine commandLine(String... args) {
    if (args.length > 0) {
      for (var command : COMMANDS) {
        var annotation = command.getAnnotation(Command.class);
        if (annotation.name().equals(args[0]) || List.of(annotation.aliases()).contains(args[0])) {
          return configure(new CommandLine(new DstackCommand()), List.of(command));
        }
      }
    }
    return commandLine();
  }

  private static CommandLine configure(CommandLine root, List<Class<?>> commands) {
    commands.forEach(root::addSubcommand);
    return root.setExecutionExceptionHandler(new ErrorReporter())
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
