package ai.dstack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.cli.testing.Cli;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code dstack server}: dstack's flags, handed to the repository's {@code dstack server} when the
 * CLI runs from a checkout, and a clear answer when it does not.
 */
class ServerCommandIT {
  @TempDir Path dir;

  @Test
  void helpListsDstacksServerFlags() {
    var result = Cli.withHome(dir).run("server", "--help");

    assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
    for (String flag :
        new String[] {"--host=HOST", "-p, --port=PORT", "--token=TOKEN", "-l, --log-level=LEVEL"}) {
      assertTrue(result.out().contains(flag), flag + " missing in\n" + result.out());
    }
  }

  @Test
  void runsTheCheckoutsDstackServerWithTheFlagsAndItsExitStatus() throws Exception {
    // A checkout: scripts/mvn and an executable dstack, with the packaged CLI somewhere below.
    Path checkout = dir.resolve("checkout");
    Files.createDirectories(checkout.resolve("scripts"));
    Files.writeString(checkout.resolve("scripts/mvn"), "#!/bin/sh\n");
    Path launcher = checkout.resolve("dstack");
    Files.writeString(launcher, "#!/bin/sh\necho \"fake dstack $*\"\nexit 7\n");
    Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path cli = copyOfThePackagedCli(checkout.resolve("cli/target/dist"));

    var result =
        run(cli, "server", "--port", "3001", "-l", "debug", "--token", "secret-token", "-y");

    assertEquals(7, result.exitCode(), result.toString());
    assertEquals(
        "fake dstack server --port 3001 --log-level debug --yes --token secret-token\n",
        result.out(),
        result.toString());
  }

  @Test
  void outsideACheckoutSaysHowToStartAServer() throws Exception {
    Path cli = copyOfThePackagedCli(dir.resolve("elsewhere"));

    var result = run(cli, "server");

    assertEquals(ExitCodes.FAILURE, result.exitCode(), result.toString());
    assertEquals("", result.out());
    assertTrue(
        result.err().startsWith("Error: This dstack CLI cannot start a server"), result.err());
    assertTrue(result.err().contains("./dstack server"), result.err());
    assertEquals(1, result.err().strip().lines().count(), result.err());
  }

  /** The packaged CLI (bin/ and lib/) copied under {@code target}; its launcher. */
  private static Path copyOfThePackagedCli(Path target) throws IOException {
    Path dist = Cli.launcher().getParent().getParent();
    try (Stream<Path> files = Files.walk(dist)) {
      files
          .filter(f -> !dist.relativize(f).startsWith("cache"))
          .forEach(
              f -> {
                try {
                  Path copy = target.resolve(dist.relativize(f).toString());
                  if (Files.isDirectory(f)) {
                    Files.createDirectories(copy);
                  } else {
                    Files.copy(f, copy, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                  }
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    }
    return target.resolve("bin/dstack");
  }

  private Cli.Result run(Path launcher, String... args) throws Exception {
    var command = new ArrayList<String>(List.of(launcher.toString()));
    command.addAll(List.of(args));
    var builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("DSTACK_"));
    builder.environment().put("HOME", dir.toString());
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    var process =
        builder
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .start();
    assertTrue(process.waitFor(2, TimeUnit.MINUTES), "dstack " + String.join(" ", args));
    return new Cli.Result(
        process.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
