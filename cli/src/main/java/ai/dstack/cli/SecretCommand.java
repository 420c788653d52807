package ai.dstack.cli;

import ai.dstack.core.api.secrets.Secret;
import ai.dstack.sdk.Dstack;
import ai.dstack.sdk.api.DstackException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code dstack secret}: the project's secrets, which runs reference by name. Lists them without
 * their values (also {@code secret list}), shows one with its value ({@code secret get}), sets and
 * deletes them.
 */
@Command(
    name = "secret",
    mixinStandardHelpOptions = true,
    description = "Manage secrets. Without a subcommand, lists them (values hidden).",
    subcommands = {
      SecretCommand.ListSecrets.class,
      SecretCommand.GetSecret.class,
      SecretCommand.SetSecret.class,
      SecretCommand.DeleteSecret.class
    })
final class SecretCommand implements Callable<Integer> {

  @Mixin ProjectOptions project;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    return list(spec, project);
  }

  static int list(CommandSpec spec, ProjectOptions project) {
    try (Dstack dstack = project.connect()) {
      print(spec.commandLine().getOut(), dstack.api().secrets().list(dstack.project()));
      return ExitCodes.OK;
    }
  }

  /** dstack's secrets table: NAME and VALUE, {@code ******} where the value is not shown. */
  static void print(PrintWriter out, List<Secret> secrets) {
    var table = new Table("NAME", "VALUE");
    for (Secret secret : secrets) {
      table.row(
          secret.name(),
          secret.value() == null || secret.value().isEmpty() ? "******" : secret.value());
    }
    table.print(out);
  }

  private static CliException notFound(String name, String project) {
    return new CliException(
        "Secret " + name + " not found in project " + project + "; `dstack secret` lists them");
  }

  /** {@code dstack secret list}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "List secrets.")
  static final class ListSecrets implements Callable<Integer> {
    @ParentCommand SecretCommand parent;
    @Mixin ProjectOptions project;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      return list(spec, project.orElse(parent.project));
    }
  }

  /** {@code dstack secret get NAME}. */
  @Command(
      name = "get",
      mixinStandardHelpOptions = true,
      description = "Show a secret with its value.")
  static final class GetSecret implements Callable<Integer> {
    @ParentCommand SecretCommand parent;
    @Mixin ProjectOptions project;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "The secret's name.")
    String name;

    @Override
    public Integer call() {
      try (Dstack dstack = project.orElse(parent.project).connect()) {
        Secret secret;
        try {
          secret = dstack.api().secrets().get(dstack.project(), name);
        } catch (DstackException.NotFound e) {
          throw notFound(name, dstack.project());
        }
        print(spec.commandLine().getOut(), List.of(secret));
        return ExitCodes.OK;
      }
    }
  }

  /** {@code dstack secret set NAME VALUE}. */
  @Command(
      name = "set",
      mixinStandardHelpOptions = true,
      description = "Create a secret, or change its value.")
  static final class SetSecret implements Callable<Integer> {
    @ParentCommand SecretCommand parent;
    @Mixin ProjectOptions project;
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "The secret's name.")
    String name;

    @Parameters(index = "1", paramLabel = "VALUE", description = "The secret's value.")
    String value;

    @Override
    public Integer call() {
      try (Dstack dstack = project.orElse(parent.project).connect()) {
        dstack.api().secrets().createOrUpdate(dstack.project(), name, value);
        spec.commandLine().getOut().println("OK");
        return ExitCodes.OK;
      }
    }
  }

  /** {@code dstack secret delete NAME}. */
  @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a secret.")
  static final class DeleteSecret implements Callable<Integer> {
    @ParentCommand SecretCommand parent;
    @Mixin ProjectOptions project;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "NAME", description = "The secret's name.")
    String name;

    @Option(
        names = {"-y", "--yes"},
        description = "Don't ask for confirmation.")
    boolean yes;

    @Override
    public Integer call() {
      var err = spec.commandLine().getErr();
      try (Dstack dstack = project.orElse(parent.project).connect()) {
        if (!Prompts.proceed(err, "Delete the secret " + name + "?", yes)) {
          return ExitCodes.OK;
        }
        try {
          dstack.api().secrets().delete(dstack.project(), List.of(name));
        } catch (DstackException.NotFound e) {
          throw notFound(name, dstack.project());
        }
        spec.commandLine().getOut().println("OK");
        return ExitCodes.OK;
      }
    }
  }
}
