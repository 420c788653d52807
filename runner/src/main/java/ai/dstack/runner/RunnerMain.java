package ai.dstack.runner;

import ai.dstack.core.agents.runner.JobState;
import ai.dstack.core.agents.runner.JobStateEvent;
import ai.dstack.core.agents.runner.LogEvent;
import ai.dstack.core.agents.runner.PullResponse;
import ai.dstack.core.agents.runner.RunnerApi;
import ai.dstack.core.agents.runner.SubmitBody;
import ai.dstack.core.json.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Starts the runner: serves the API, waits for the job to be run, to end and to be pulled to its
 * last event, then exits, as dstack's runner does (the container ends with it).
 */
public final class RunnerMain {
  private static final int EXIT_USAGE = 2;
  private static final int EXIT_NO_JOB = 1;

  private RunnerMain() {}

  public static void main(String[] args) {
    RunnerOptions options;
    try {
      options = RunnerOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("dstack-runner: " + e.getMessage());
      System.err.print(RunnerOptions.USAGE);
      System.exit(EXIT_USAGE);
      return;
    }
    if (options.help()) {
      System.out.print(RunnerOptions.USAGE);
      return;
    }
    if (options.version()) {
      System.out.println(version());
      return;
    }
    if (options.standby()) {
      Optional<RunnerOptions> claimed = standBy(options);
      if (claimed.isEmpty()) {
        return; // whoever started it is gone
      }
      options = claimed.get();
    }
    try {
      System.exit(run(options, System.out, System.err));
    } catch (IOException e) {
      System.err.println("dstack-runner: " + e.getMessage());
      System.exit(EXIT_NO_JOB);
    }
  }

  private static int run(RunnerOptions options, PrintStream out, PrintStream err)
      throws IOException {
    RunnerPaths paths = RunnerPaths.create(options.home(), options.workDir());
    EventLog events = new EventLog(paths.jobLog(), EventLog.DEFAULT_MAX_PULL_BYTES);
    RunnerLog log = new RunnerLog(events, paths.runnerLog(), err);
    Job job = new Job(paths, events, log);
    RunnerServer server = new RunnerServer(job, new Metrics(), log, version());
    InetSocketAddress address = server.start(options.host(), options.port());
    out.println("runner listening on " + options.host() + ":" + address.getPort());
    out.flush();
    log.info(
        "dstack-runner %s listening on %s:%d, home %s",
        version(), options.host(), address.getPort(), options.home());
    // The server stops last, once the answer that handed the job's end over has gone out.
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  job.shutdown();
                  server.stop();
                },
                "shutdown"));
    Thread.ofVirtual().name("warm-up").start(RunnerMain::warmUpJson);

    if (!await(job.started(), options.startTimeout().toMillis())) {
      log.error("No job was run within %s; exiting", options.startTimeout());
      server.stop();
      return EXIT_NO_JOB;
    }
    await(job.finished(), Long.MAX_VALUE);
    if (!await(job.handedOver(), options.logsTimeout().toMillis())) {
      log.error("The job's last events were not pulled within %s; exiting", options.logsTimeout());
    }
    server.stop();
    return 0;
  }

  private static boolean await(CompletableFuture<Void> future, long millis) {
    try {
      future.get(millis, TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * A runner started ahead of its task: warms up, then reads the options of the task's runner from
   * standard input, one argument a line up to an empty line. Empty when the input ends first.
   */
  private static Optional<RunnerOptions> standBy(RunnerOptions standby) {
    warmUpJson();
    warmUpServer(standby.host());
    System.out.println("runner standing by");
    System.out.flush();
    List<String> args = new ArrayList<>();
    try {
      BufferedReader in =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (String line = in.readLine(); ; line = in.readLine()) {
        if (line == null) {
          return Optional.empty();
        }
        if (line.isEmpty()) {
          break;
        }
        args.add(line);
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    try {
      return Optional.of(RunnerOptions.parse(args.toArray(String[]::new)));
    } catch (IllegalArgumentException e) {
      System.err.println("dstack-runner: standing by, then given " + args + ": " + e.getMessage());
      System.exit(EXIT_USAGE);
      return Optional.empty();
    }
  }

  /**
   * Serves one healthcheck from a throwaway server (a home in a temporary directory, removed
   * after), so the task's first requests find the server's classes loaded.
   */
  private static void warmUpServer(String host) {
    Path home = null;
    try {
      home = Files.createTempDirectory("dstack-runner-warm-up");
      RunnerPaths paths = RunnerPaths.create(home, home);
      EventLog events = new EventLog(paths.jobLog(), EventLog.DEFAULT_MAX_PULL_BYTES);
      RunnerLog log =
          new RunnerLog(
              events, paths.runnerLog(), new PrintStream(OutputStream.nullOutputStream()));
      RunnerServer server =
          new RunnerServer(new Job(paths, events, log), new Metrics(), log, version());
      InetSocketAddress address = server.start(host, 0);
      try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
        socket
            .getOutputStream()
            .write(
                ("GET "
                        + RunnerApi.HEALTHCHECK
                        + " HTTP/1.1\r\nHost: warm-up\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
        socket.getInputStream().readAllBytes();
      } finally {
        server.stop();
      }
    } catch (IOException | RuntimeException e) {
      // only a warm-up
    } finally {
      if (home != null) {
        try {
          JobExecution.deleteTree(home);
        } catch (IOException e) {
          // a leftover temporary directory
        }
      }
    }
  }

  /** Initializes Jackson for the wire types, so the first submit and pull do not wait for it. */
  private static void warmUpJson() {
    try {
      Json.MAPPER.readValue(
          "{\"job_spec\":{\"commands\":[\"true\"]},\"cluster_info\":{\"job_ips\":[]}}",
          SubmitBody.class);
      Json.MAPPER.writeValueAsBytes(
          new PullResponse(
              List.of(new JobStateEvent(1, JobState.DONE, null, null, 0)),
              List.of(new LogEvent(1, new byte[1])),
              List.of(),
              1,
              null,
              false));
    } catch (IOException e) {
      // only a warm-up
    }
  }

  /** The jar's version; {@code latest} when run from classes, which dstack reads as the newest. */
  static String version() {
    String version = RunnerMain.class.getPackage().getImplementationVersion();
    return version == null ? "latest" : version;
  }
}
