package ai.dstack.cli;

import ai.dstack.sdk.DstackConfig;
import ai.dstack.sdk.ProjectConfig;
import ai.dstack.sdk.api.DstackApi;
import ai.dstack.sdk.api.DstackException;
import ai.dstack.sdk.api.RetryPolicy;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code dstack project}: the projects of {@code ~/.dstack/config.yml}, the file dstack's own CLI
 * reads too. {@code add} checks the project and token with the server, then writes the file; {@code
 * list}, {@code set-default} and {@code delete} only touch the file.
 */
@Command(
    name = "project",
    mixinStandardHelpOptions = true,
    description =
        "Manage the projects configured in ~/.dstack/config.yml. Without a subcommand,"
            + " lists them.",
    subcommands = {
      ProjectCommand.Add.class,
      ProjectCommand.ListProjects.class,
      ProjectCommand.SetDefault.class,
      ProjectCommand.Delete.class
    })
final class ProjectCommand implements Callable<Integer> {

  /** A server named on the command line answers at once or is reported unreachable. */
  private static final RetryPolicy RETRY =
      new RetryPolicy(3, Duration.ofMillis(250), 2, Duration.ofSeconds(1));

  @Option(
      names = {"-v", "--verbose"},
      description = "Also show the user each project's token belongs to (asks each server).")
  boolean verbose;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    return list(spec, verbose);
  }

  static Path file() {
    return DstackConfig.defaultFile();
  }

  /** The file's path as the user knows it: {@code ~/.dstack/config.yml} under their home. */
  static String shown(Path file) {
    Path home = Path.of(System.getProperty("user.home"));
    return file.startsWith(home) ? "~/" + home.relativize(file) : file.toString();
  }

  static DstackApi client(String url, String token) {
    try {
      return DstackApi.builder(url, token)
          .retry(RETRY)
          .connectTimeout(Duration.ofSeconds(5))
          .requestTimeout(Duration.ofSeconds(30))
          .build();
    } catch (IllegalArgumentException e) {
      throw new CliException(
          "--url " + url + " is not a server URL: give it as http://HOST:PORT", ExitCodes.USAGE);
    }
  }

  static int list(CommandSpec spec, boolean verbose) {
    var out = spec.commandLine().getOut();
    Path file = file();
    var config = DstackConfig.load(file);
    var headers = new ArrayList<>(List.of("PROJECT", "URL"));
    if (verbose) {
      headers.add("USER");
    }
    headers.add("DEFAULT");
    var table = new Table(headers.toArray(String[]::new));
    for (ProjectConfig project : config.projects()) {
      var row = new ArrayList<String>(List.of(project.name(), project.url()));
      if (verbose) {
        row.add(user(project));
      }
      row.add(project.isDefault() ? "✓" : "");
      table.row(row.toArray());
    }
    table.print(out);
    if (config.projects().isEmpty()) {
      spec.commandLine()
          .getErr()
          .println(
              "No projects in "
                  + shown(file)
                  + "; add one with `dstack project add --name NAME --url URL --token TOKEN`");
    }
    return ExitCodes.OK;
  }

  /** The user the project's token belongs to, or why it cannot be told. */
  private static String user(ProjectConfig project) {
    try (var api = client(project.url(), project.token())) {
      return api.users().getMyUser().username();
    } catch (DstackException.ServerUnavailable e) {
      return "(server unreachable)";
    } catch (DstackException | CliException e) {
      return "(invalid token)";
    }
  }

  /** {@code dstack project add --name NAME --url URL --token TOKEN}. */
  @Command(
      name = "add",
      mixinStandardHelpOptions = true,
      description =
          "Add a project to the configuration (or change its URL and token), after checking"
              + " with the server that the project exists and the token may use it. The first"
              + " project added becomes the default.")
  static final class Add implements Callable<Integer> {
    @Option(
        names = "--name",
        required = true,
        paramLabel = "NAME",
        description = "The project's name on the server (a new server has `main`).")
    String name;

    @Option(
        names = "--url",
        required = true,
        paramLabel = "URL",
        description = "The server's URL, e.g. http://127.0.0.1:3000.")
    String url;

    @Option(
        names = "--token",
        required = true,
        paramLabel = "TOKEN",
        description = "The user's token (`dstack server` prints the admin's).")
    String token;

    @Option(
        names = {"-y", "--yes"},
        description = "Don't ask: make it the default project.")
    boolean yes;

    @Option(
        names = {"-n", "--no"},
        description = "Don't ask: keep the current default project.")
    boolean no;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      if (yes && no) {
        throw new CliException("-y and -n contradict each other; give one", ExitCodes.USAGE);
      }
      check();
      Path file = file();
      var config = DstackConfig.load(file);
      var current = config.defaultProject().orElse(null);
      boolean unchanged =
          current != null
              && current.name().equals(name)
              && current.url().equals(url)
              && current.token().equals(token);
      if (!unchanged) {
        boolean makeDefault =
            !no
                && (yes
                    || current == null
                    || Prompts.confirm(
                        spec.commandLine().getErr(),
                        "Set '" + name + "' as your default project?",
                        false));
        config.withProject(name, url, token, makeDefault).save(file);
      }
      spec.commandLine().getOut().println("Configuration updated at " + shown(file));
      return ExitCodes.OK;
    }

    /** Asks the server for the project with the token, as dstack does before writing anything. */
    private void check() {
      try (var api = client(url, token)) {
        api.projects().get(name);
      } catch (DstackException.Unauthorized | DstackException.Forbidden e) {
        throw new CliException(
            "The server at "
                + origin(url)
                + " refused the token ("
                + e.status()
                + "). Check --token: an admin gets tokens from the server (`dstack server` prints"
                + " the admin's when it starts).",
            ExitCodes.NOT_ALLOWED);
      } catch (DstackException.NotFound e) {
        throw new CliException(
            "Project '"
                + name
                + "' not found at "
                + origin(url)
                + ". Check --name (a new server has project `main`), or ask the server's admin to"
                + " add the token's user to the project.");
      } catch (DstackException.ServerUnavailable e) {
        throw new CliException(
            "Cannot reach a dstack server at "
                + url
                + " ("
                + cause(e)
                + "). Check --url, or start a server with `dstack server`.",
            ExitCodes.SERVER_UNREACHABLE);
      }
    }

    private static String cause(DstackException.ServerUnavailable e) {
      if (e.status() != 0) {
        return "status code " + e.status();
      }
      Throwable cause = e.getCause();
      if (cause instanceof java.net.ConnectException) {
        return "connection refused";
      }
      if (cause instanceof java.net.http.HttpConnectTimeoutException) {
        return "connection timed out";
      }
      return cause == null || cause.getMessage() == null
          ? "no answer"
          : cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    private static String origin(String url) {
      var uri = URI.create(url.strip());
      return uri.getScheme() + "://" + uri.getAuthority();
    }
  }

  /** {@code dstack project list}. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List the configured projects.")
  static final class ListProjects implements Callable<Integer> {
    @Option(
        names = {"-v", "--verbose"},
        description = "Also show the user each project's token belongs to (asks each server).")
    boolean verbose;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      return list(spec, verbose);
    }
  }

  /** {@code dstack project set-default NAME}. */
  @Command(
      name = "set-default",
      mixinStandardHelpOptions = true,
      description = "Make a configured project the default one.")
  static final class SetDefault implements Callable<Integer> {
    @Parameters(paramLabel = "NAME", description = "The project's name.")
    String name;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      Path file = file();
      var config = DstackConfig.load(file);
      if (config.project(name).isEmpty()) {
        throw notConfigured(name, file);
      }
      config.withDefault(name).save(file);
      spec.commandLine().getOut().println("OK");
      return ExitCodes.OK;
    }
  }

  /** {@code dstack project delete --name NAME}: from the configuration only. */
  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = "Remove a project from the configuration (the project stays on its server).")
  static final class Delete implements Callable<Integer> {
    @Option(names = "--name", paramLabel = "NAME", description = "The project's name.")
    String option;

    @Parameters(arity = "0..1", paramLabel = "NAME", description = "The project's name.")
    String positional;

    @Option(
        names = {"-y", "--yes"},
        description = "Don't ask for confirmation.")
    boolean yes;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      if ((option == null) == (positional == null)) {
        throw new CliException(
            "Give the project's name once: --name NAME (or just NAME)", ExitCodes.USAGE);
      }
      String name = option != null ? option : positional;
      Path file = file();
      var config = DstackConfig.load(file);
      var project = config.project(name);
      if (project.isEmpty()) {
        throw notConfigured(name, file);
      }
      PrintWriter err = spec.commandLine().getErr();
      if (!Prompts.proceed(err, "Are you sure you want to delete project '" + name + "'?", yes)) {
        return ExitCodes.OK;
      }
      var remaining = config.withoutProject(name);
      remaining.save(file);
      spec.commandLine().getOut().println("OK");
      if (project.get().isDefault() && !remaining.projects().isEmpty()) {
        err.println("No default project now; choose one with `dstack project set-default NAME`.");
      }
      return ExitCodes.OK;
    }
  }

  private static CliException notConfigured(String name, Path file) {
    return new CliException(
        "Project '"
            + name
            + "' is not configured in "
            + shown(file)
            + "; `dstack project list` shows the configured ones",
        ExitCodes.NOT_CONFIGURED);
  }
}
