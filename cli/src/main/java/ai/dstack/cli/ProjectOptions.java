package ai.dstack.cli;

import ai.dstack.sdk.Dstack;
import ai.dstack.sdk.api.RetryPolicy;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * {@code --project}, shared by every command that talks to a server; picks the server, token and
 * project as dstack's CLI does (the option, {@code DSTACK_PROJECT}, the default project of {@code
 * ~/.dstack/config.yml}; {@code DSTACK_SERVER_URL} with {@code DSTACK_TOKEN} instead of the file).
 */
final class ProjectOptions {

  /** A command line is answered at once: three tries over 0.75 s while the server is down. */
  private static final RetryPolicy RETRY =
      new RetryPolicy(3, Duration.ofMillis(250), 2, Duration.ofSeconds(1));

  @Option(
      names = "--project",
      paramLabel = "NAME",
      description =
          "The project (default: DSTACK_PROJECT, else the default project of config.yml).")
  String project;

  /**
   * These options when {@code --project} was given here, else {@code outer}'s: a subcommand's own
   * {@code --project} wins over the one given before it ({@code dstack fleet --project p list}).
   */
  ProjectOptions orElse(ProjectOptions outer) {
    return project != null ? this : outer;
  }

  /** A client of the chosen project; the caller closes it. */
  Dstack connect() {
    return Dstack.builder()
        .project(project)
        .retry(RETRY)
        .requestTimeout(Duration.ofSeconds(60))
        .maxPollInterval(Duration.ofSeconds(1))
        .build();
  }
}
