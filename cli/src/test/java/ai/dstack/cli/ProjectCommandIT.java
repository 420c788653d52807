package ai.dstack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.cli.testing.Cli;
import ai.dstack.sdk.DstackConfig;
import ai.dstack.sdk.testing.LocalServer;
import ai.dstack.sdk.testing.LocalServerExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/** {@code dstack project}: add (checked with a real server), list, set-default, delete. */
@ExtendWith(LocalServerExtension.class)
class ProjectCommandIT {
  private static LocalServer server;

  @TempDir Path home;

  @BeforeAll
  static void startServer(LocalServer localServer) {
    server = localServer;
  }

  private Path configFile() {
    return home.resolve(".dstack/config.yml");
  }

  private Cli cli() {
    return Cli.withHome(home);
  }

  private Cli.Result add(String name, String url, String token, String... more) {
    var args = new java.util.ArrayList<>(List.of("project", "add", "--name", name));
    args.addAll(List.of("--url", url, "--token", token));
    args.addAll(List.of(more));
    return cli().run(args.toArray(String[]::new));
  }

  @SuppressWarnings("unchecked")
  private List<Map<String, Object>> configuredProjects() throws IOException {
    Map<String, Object> document = new Yaml().load(Files.readString(configFile()));
    return (List<Map<String, Object>>) document.get("projects");
  }

  /** Writes config.yml with a default project {@code other} whose server is down. */
  private void configureOtherProjectAsDefault() {
    DstackConfig.empty()
        .withProject("other", LocalServer.deadUrl(), "other-token", true)
        .save(configFile());
  }

  @Test
  void addChecksTheProjectWithTheServerThenWritesConfigInDstacksFormat() throws IOException {
    var result = add(server.project(), server.url(), server.token());

    assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
    assertEquals("Configuration updated at ~/.dstack/config.yml\n", result.out());
    assertEquals(
        "projects:\n- default: true\n  name: main\n  token: "
            + server.token()
            + "\n  url: "
            + server.url()
            + "\n",
        Files.readString(configFile()));
    assertEquals(
        List.of(
            Map.of("default", true, "name", "main", "token", server.token(), "url", server.url())),
        configuredProjects());
    // The CLI now talks to that server without further options.
    var secrets = cli().run("secret", "list");
    assertEquals(ExitCodes.OK, secrets.exitCode(), secrets.toString());
  }

  @Test
  void addWithAWrongTokenIsRefusedAndWritesNothing() {
    var result = add(server.project(), server.url(), "not-a-token");

    assertEquals(ExitCodes.NOT_ALLOWED, result.exitCode(), result.toString());
    assertTrue(result.err().contains("refused the token"), result.toString());
    assertTrue(result.err().contains("--token"), result.toString());
    assertFalse(Files.exists(configFile()), "config.yml written after a refused token");
  }

  @Test
  void addWithADeadUrlNamesTheUrlAndHowToStartAServer() {
    String dead = LocalServer.deadUrl();
    var result = add(server.project(), dead, server.token());

    assertEquals(ExitCodes.SERVER_UNREACHABLE, result.exitCode(), result.toString());
    assertTrue(result.err().contains("Cannot reach a dstack server at " + dead), result.toString());
    assertTrue(result.err().contains("dstack server"), result.toString());
    assertEquals(1, result.err().strip().lines().count(), "one line: " + result);
    assertFalse(Files.exists(configFile()));
  }

  @Test
  void addOfAProjectTheServerDoesNotHaveSaysSo() {
    var result = add("no-such-project", server.url(), server.token());

    assertEquals(ExitCodes.FAILURE, result.exitCode(), result.toString());
    assertTrue(result.err().contains("Project 'no-such-project' not found"), result.toString());
    assertFalse(Files.exists(configFile()));
  }

  @Test
  void addOfASecondProjectAsksBeforeMakingItTheDefault() throws IOException {
    configureOtherProjectAsDefault();

    var declined =
        cli()
            .runWithInput(
                "n\n",
                "project",
                "add",
                "--name",
                "main",
                "--url",
                server.url(),
                "--token",
                server.token());
    assertEquals(ExitCodes.OK, declined.exitCode(), declined.toString());
    assertTrue(
        declined.err().contains("Set 'main' as your default project? [y/n]"), declined.err());
    assertEquals(Map.of("other", true, "main", false), defaults());

    var accepted =
        cli()
            .runWithInput(
                "y\n",
                "project",
                "add",
                "--name",
                "main",
                "--url",
                server.url(),
                "--token",
                server.token());
    assertEquals(ExitCodes.OK, accepted.exitCode(), accepted.toString());
    assertEquals(Map.of("other", false, "main", true), defaults());
  }

  @Test
  void addWithYesMakesItTheDefaultAndWithNoKeepsTheDefault() throws IOException {
    configureOtherProjectAsDefault();

    var no = add("main", server.url(), server.token(), "-n");
    assertEquals(ExitCodes.OK, no.exitCode(), no.toString());
    assertFalse(no.err().contains("[y/n]"), no.toString());
    assertEquals(Map.of("other", true, "main", false), defaults());

    var yes = add("main", server.url(), server.token(), "-y");
    assertEquals(ExitCodes.OK, yes.exitCode(), yes.toString());
    assertFalse(yes.err().contains("[y/n]"), yes.toString());
    assertEquals(Map.of("other", false, "main", true), defaults());
  }

  private Map<String, Boolean> defaults() throws IOException {
    var defaults = new java.util.HashMap<String, Boolean>();
    for (var project : configuredProjects()) {
      defaults.put((String) project.get("name"), (Boolean) project.get("default"));
    }
    return defaults;
  }

  @Test
  void listShowsEachProjectItsUrlAndTheDefault() {
    String dead = LocalServer.deadUrl();
    DstackConfig.empty()
        .withProject("main", server.url(), server.token(), true)
        .withProject("other", dead, "other-token", false)
        .save(configFile());

    for (var command : List.of(List.of("project", "list"), List.of("project"))) {
      var result = cli().run(command.toArray(String[]::new));
      assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
      var lines = result.out().lines().toList();
      assertEquals(List.of("PROJECT", "URL", "DEFAULT"), words(lines.get(0)), result.out());
      assertEquals(List.of("main", server.url(), "✓"), words(lines.get(1)), result.out());
      assertEquals(List.of("other", dead), words(lines.get(2)), result.out());
      assertEquals(3, lines.size(), result.out());
    }
  }

  @Test
  void listVerboseAsksEachServerWhoseTokenItIs() {
    DstackConfig.empty()
        .withProject("main", server.url(), server.token(), true)
        .withProject("wrong", server.url(), "not-a-token", false)
        .withProject("down", LocalServer.deadUrl(), "other-token", false)
        .save(configFile());

    var result = cli().run("project", "list", "-v");

    assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
    var lines = result.out().lines().toList();
    assertEquals(List.of("PROJECT", "URL", "USER", "DEFAULT"), words(lines.get(0)), result.out());
    assertEquals(List.of("main", server.url(), "admin", "✓"), words(lines.get(1)), result.out());
    assertTrue(lines.get(2).contains("(invalid token)"), result.out());
    assertTrue(lines.get(3).contains("(server unreachable)"), result.out());
  }

  @Test
  void listWithNothingConfiguredSaysHowToAddAProject() {
    var result = cli().run("project", "list");

    assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
    assertEquals(List.of("PROJECT", "URL", "DEFAULT"), words(result.out().strip()));
    assertTrue(result.err().contains("dstack project add"), result.toString());
  }

  @Test
  void setDefaultMovesTheDefaultAndRefusesAnUnknownProject() throws IOException {
    DstackConfig.empty()
        .withProject("main", server.url(), server.token(), true)
        .withProject("other", LocalServer.deadUrl(), "other-token", false)
        .save(configFile());

    var result = cli().run("project", "set-default", "other");
    assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
    assertEquals("OK\n", result.out());
    assertEquals(Map.of("other", true, "main", false), defaults());

    var unknown = cli().run("project", "set-default", "nope");
    assertEquals(ExitCodes.NOT_CONFIGURED, unknown.exitCode(), unknown.toString());
    assertTrue(unknown.err().contains("Project 'nope' is not configured"), unknown.toString());
    assertEquals(Map.of("other", true, "main", false), defaults());
  }

  @Test
  void deleteRemovesTheProjectFromTheConfigurationOnly() throws IOException {
    DstackConfig.empty()
        .withProject("main", server.url(), server.token(), true)
        .withProject("other", LocalServer.deadUrl(), "other-token", false)
        .save(configFile());

    var result = cli().run("project", "delete", "--name", "main", "-y");

    assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
    assertEquals("OK\n", result.out());
    assertTrue(result.err().contains("dstack project set-default"), result.toString());
    assertEquals(Map.of("other", false), defaults());
    // The project itself is still on the server: adding it again works.
    var again = add("main", server.url(), server.token(), "-y");
    assertEquals(ExitCodes.OK, again.exitCode(), again.toString());
  }

  @Test
  void deleteAsksFirstAndDoesNothingWithoutAnAnswer() throws IOException {
    configureOtherProjectAsDefault();

    var unanswered = cli().run("project", "delete", "other");
    assertEquals(ExitCodes.OK, unanswered.exitCode(), unanswered.toString());
    assertTrue(unanswered.err().contains("pass -y"), unanswered.toString());
    assertEquals(Map.of("other", true), defaults());

    var answered = cli().runWithInput("y\n", "project", "delete", "other");
    assertEquals(ExitCodes.OK, answered.exitCode(), answered.toString());
    assertEquals(List.of(), configuredProjects());

    var unknown = cli().run("project", "delete", "--name", "other", "-y");
    assertEquals(ExitCodes.NOT_CONFIGURED, unknown.exitCode(), unknown.toString());
    assertTrue(unknown.err().contains("Project 'other' is not configured"), unknown.toString());
  }

  private static List<String> words(String line) {
    return Arrays.asList(line.strip().split("\\s+"));
  }
}
