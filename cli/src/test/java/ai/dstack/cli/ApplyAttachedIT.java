package ai.dstack.cli;

import static ai.dstack.cli.TaskRuns.name;
import static ai.dstack.cli.TaskRuns.printed;
import static ai.dstack.cli.TaskRuns.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.cli.testing.Cli;
import ai.dstack.core.runs.RunStatus;
import ai.dstack.sdk.Dstack;
import ai.dstack.sdk.testing.LocalServer;
import ai.dstack.sdk.testing.LocalServerExtension;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * An attached {@code dstack apply} (no {@code -d}) against a real server: the status on stderr, the
 * job's log on stdout (each line once, in order), how the run ended and the exit code, and Ctrl-C
 * detaching while the run goes on.
 */
@ExtendWith(LocalServerExtension.class)
class ApplyAttachedIT {
  @TempDir Path home;

  private Cli cli;
  private Dstack dstack;

  @BeforeEach
  void connect(LocalServer server) {
    cli = Cli.configuredFor(server, home);
    dstack = TaskRuns.sdk(server);
  }

  @AfterEach
  void disconnect() {
    dstack.close();
  }

  @Test
  void attachedApplyPrintsEveryLineOfTheJobOnceInOrderAndExitsZero() throws Exception {
    var name = name("attached");
    write(
        "lines.dstack.yml",
        task(
            name,
            "for i in $(seq 1 200); do echo \"line $i: ünïcödé ✓ 日本\"; done",
            "head -c 5000 /dev/zero | tr '\\0' x; echo",
            "echo last"));

    var result = cli.run("apply", "-f", "lines.dstack.yml", "-y");

    assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
    var expected = new ArrayList<String>();
    IntStream.rangeClosed(1, 200).forEach(i -> expected.add("line " + i + ": ünïcödé ✓ 日本"));
    expected.add("x".repeat(5000));
    expected.add("last");
    assertEquals(expected, printed(result.out()), "every line once, in order, on stdout");
    var err = result.err();
    assertTrue(err.contains("Run " + name + " submitted"), result.toString());
    assertTrue(err.contains("Run " + name + " done"), result.toString());
    assertFalse(err.contains("line 1:"), "the log is not on stderr");
  }

  @Test
  void aFailingCommandExitsOneWithTheReasonAndTheExitStatus() throws Exception {
    var name = name("failing");
    write("fail.dstack.yml", task(name, "echo before the failure", "exit 3"));

    var result = cli.run("apply", "-f", "fail.dstack.yml", "-y");

    assertEquals(ExitCodes.FAILURE, result.exitCode(), result.toString());
    // bash -i says "exit" as the command exits
    assertEquals("before the failure", printed(result.out()).getFirst(), result.toString());
    var err = result.err();
    assertTrue(err.contains("Run " + name + " failed: exited (3)"), result.toString());
    assertTrue(err.contains("Reason: container exited with error"), result.toString());
    assertTrue(err.contains("Exit status: 3"), result.toString());
    assertTrue(err.contains("dstack logs " + name + " -d"), result.toString());
    assertEquals(RunStatus.FAILED, dstack.run(name).status());
  }

  @Test
  void ctrlCDetachesSaysHowToFollowAndStopAndTheRunGoesOn() throws Exception {
    var name = name("detach");
    write(
        "ticks.dstack.yml",
        task(name, "for i in $(seq 1 30); do echo \"tick $i\"; sleep 0.2; done"));

    var process = cli.start("apply", "-f", "ticks.dstack.yml", "-y");
    var lines = Collections.synchronizedList(new ArrayList<String>());
    var sawTicks = new CountDownLatch(3);
    var stdout =
        CompletableFuture.runAsync(
            () -> {
              try (var reader =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                  lines.add(line);
                  if (line.startsWith("tick ")) {
                    sawTicks.countDown();
                  }
                }
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    var stderr =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    try {
      assertTrue(sawTicks.await(90, TimeUnit.SECONDS), "ticks on stdout: " + lines);
      // The launcher execs java: its pid is the JVM's.
      var kill = new ProcessBuilder("kill", "-INT", String.valueOf(process.pid())).start();
      assertEquals(0, kill.waitFor());

      assertTrue(process.waitFor(30, TimeUnit.SECONDS), "the CLI exits on Ctrl-C");
      stdout.get(10, TimeUnit.SECONDS);
      var err = stderr.get(10, TimeUnit.SECONDS);
      assertEquals(ExitCodes.INTERRUPTED, process.exitValue(), err);
      assertTrue(err.contains("Detached from run " + name), err);
      assertTrue(err.contains("dstack logs " + name + " -f"), err);
      assertTrue(err.contains("dstack stop " + name), err);
      var ticks = printed(String.join("\n", lines));
      var expected = IntStream.rangeClosed(1, ticks.size()).mapToObj(i -> "tick " + i).toList();
      assertEquals(expected, ticks, "the lines printed before detaching, each once");

      var run = dstack.run(name);
      assertEquals(RunStatus.DONE, run.await(TaskRuns.TIMEOUT), "the run went on to its end");
      assertEquals(30, printed(String.join("\n", run.logsSoFar())).size());
    } finally {
      process.destroyForcibly();
    }
  }

  private void write(String fileName, String yaml) throws IOException {
    Files.writeString(home.resolve(fileName), yaml);
  }
}
