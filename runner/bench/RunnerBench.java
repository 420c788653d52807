import ai.dstack.core.agents.runner.LogEvent;
import ai.dstack.core.agents.runner.PullResponse;
import ai.dstack.core.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Measures the runner: start time (process start to a healthy healthcheck), resident memory idle
 * and while streaming, and log throughput through /api/pull; 3 runs per JVM configuration, median.
 *
 * <p>Run it with the runner's jar on the class path: {@code java -cp RUNNER_JAR RunnerBench.java
 * RUNNER_JAR WORK_DIR [LINES] [RUNS]}. Prints a Markdown table.
 */
public class RunnerBench {
  private static final Pattern LISTENING = Pattern.compile("runner listening on [^:]+:(\\d+)");
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  record Config(String name, List<String> flags, boolean trains) {}

  record Figures(
      double startMs, double idleRssMb, double streamRssMb, double linesPerSec, double mbPerSec) {}

  public static void main(String[] args) throws Exception {
    Path jar = Path.of(args[0]).toAbsolutePath();
    Path work = Files.createDirectories(Path.of(args[1]).toAbsolutePath());
    int lines = args.length > 2 ? Integer.parseInt(args[2]) : 200_000;
    int runs = args.length > 3 ? Integer.parseInt(args[3]) : 3;
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> lean =
        List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k", "-Xms8m", "-Xmx64m");
    Path cds = work.resolve("runner.jsa");
    Path aot = work.resolve("runner.aot");
    var configs = new ArrayList<Config>();
    configs.add(new Config("default JVM flags", List.of(), false));
    configs.add(new Config("lean: " + String.join(" ", lean), lean, false));
    configs.add(
        new Config(
            "lean + AppCDS archive",
            concat(lean, "-XX:SharedArchiveFile=" + cds, "-XX:+AutoCreateSharedArchive"),
            true));
    if (Runtime.version().feature() >= 25) {
      configs.add(
          new Config("lean + AOT cache (JDK 25)", concat(lean, "-XX:AOTCache=" + aot), true));
    }

    System.out.printf(
        "JDK %s, %d CPUs, %d lines of %d bytes per job, %d runs each, median%n%n",
        Runtime.version(),
        Runtime.getRuntime().availableProcessors(),
        lines,
        LINE.length() + 1,
        runs);
    System.out.println(
        "| JVM configuration | start to healthy (ms) | RSS idle (MiB) | RSS streaming, peak (MiB) |"
            + " pull throughput (lines/s) | pull throughput (MiB/s) |");
    System.out.println("| --- | ---: | ---: | ---: | ---: | ---: |");
    for (Config config : configs) {
      if (config.trains()) {
        // One training run writes the archive at exit; it is not measured.
        List<String> training =
            config.name().contains("AOT")
                ? concat(lean, "-XX:AOTCacheOutput=" + aot)
                : config.flags();
        measure(java, training, jar, work.resolve("train-" + configs.indexOf(config)), lines);
      }
      var figures = new ArrayList<Figures>();
      for (int run = 0; run < runs; run++) {
        figures.add(
            measure(
                java,
                config.flags(),
                jar,
                work.resolve("run-" + configs.indexOf(config) + "-" + run),
                lines));
      }
      System.out.printf(
          "| %s | %.0f | %.1f | %.1f | %,.0f | %.1f |%n",
          config.name(),
          median(figures, Figures::startMs),
          median(figures, Figures::idleRssMb),
          median(figures, Figures::streamRssMb),
          median(figures, Figures::linesPerSec),
          median(figures, Figures::mbPerSec));
    }
  }

  private static final String LINE =
      "2025-01-01T00:00:00Z INFO step=1234 loss=0.123456 lr=3e-4 tokens/s=98765";

  private static Figures measure(String java, List<String> flags, Path jar, Path dir, int lines)
      throws Exception {
    Files.createDirectories(dir);
    var command = new ArrayList<String>();
    command.add(java);
    command.addAll(flags);
    command.addAll(
        List.of("-jar", jar.toString(), "--port", "0", "--home", dir.resolve("home").toString()));
    Path stdout = dir.resolve("stdout");
    long startedAt = System.nanoTime();
    Process runner =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectOutput(stdout.toFile())
            .redirectError(dir.resolve("stderr").toFile())
            .start();
    try {
      int port = awaitPort(runner, stdout);
      String base = "http://127.0.0.1:" + port;
      while (true) {
        try {
          if (HTTP.send(
                      HttpRequest.newBuilder(URI.create(base + "/api/healthcheck")).build(),
                      HttpResponse.BodyHandlers.discarding())
                  .statusCode()
              == 200) {
            break;
          }
        } catch (IOException e) {
          // not yet
        }
        Thread.sleep(1);
      }
      double startMs = (System.nanoTime() - startedAt) / 1e6;
      Thread.sleep(1000);
      double idleRss = rssMb(runner.pid());

      Map<String, Object> spec = new LinkedHashMap<>();
      spec.put("commands", List.of("yes '" + LINE + "' | head -n " + lines));
      spec.put("shell", "sh");
      spec.put("working_dir", dir.toString());
      spec.put("repo_dir", dir.resolve("repo").toString());
      post(
          base + "/api/submit",
          Json.MAPPER.writeValueAsBytes(
              Map.of(
                  "run",
                  Map.of("id", "bench", "run_spec", Map.of("run_name", "bench")),
                  "job_spec",
                  spec,
                  "job_submission",
                  Map.of("id", "bench"))));
      var peak = new AtomicLong();
      Thread sampler =
          Thread.ofPlatform()
              .daemon()
              .start(
                  () -> {
                    while (!Thread.currentThread().isInterrupted()) {
                      peak.accumulateAndGet((long) (rssMb(runner.pid()) * 1024), Math::max);
                      try {
                        Thread.sleep(5);
                      } catch (InterruptedException e) {
                        return;
                      }
                    }
                  });
      long runAt = System.nanoTime();
      post(base + "/api/run", new byte[0]);
      long cursor = 0;
      long received = 0;
      long newlines = 0;
      PullResponse pull;
      do {
        var response =
            HTTP.send(
                HttpRequest.newBuilder(URI.create(base + "/api/pull?timestamp=" + cursor)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        pull = Json.MAPPER.readValue(response.body(), PullResponse.class);
        for (LogEvent event : pull.jobLogs()) {
          received += event.message().length;
          for (byte b : event.message()) {
            if (b == '\n') {
              newlines++;
            }
          }
        }
        cursor = pull.lastUpdated();
      } while (pull.hasMore());
      double seconds = (System.nanoTime() - runAt) / 1e9;
      sampler.interrupt();
      if (newlines != lines) {
        throw new IllegalStateException("pulled " + newlines + " lines, expected " + lines);
      }
      runner.waitFor();
      return new Figures(
          startMs,
          idleRss,
          peak.get() / 1024.0,
          newlines / seconds,
          received / seconds / (1 << 20));
    } finally {
      runner.destroyForcibly();
    }
  }

  private static int awaitPort(Process runner, Path stdout) throws Exception {
    while (true) {
      if (Files.exists(stdout)) {
        Matcher matcher = LISTENING.matcher(Files.readString(stdout));
        if (matcher.find()) {
          return Integer.parseInt(matcher.group(1));
        }
      }
      if (!runner.isAlive()) {
        throw new IllegalStateException("the runner exited: " + runner.exitValue());
      }
      Thread.sleep(1);
    }
  }

  private static void post(String uri, byte[] body) throws Exception {
    var response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(uri))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(uri + ": " + response.statusCode() + " " + response.body());
    }
  }

  private static double rssMb(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (IOException | RuntimeException e) {
      // gone
    }
    return 0;
  }

  private static double median(
      List<Figures> figures, java.util.function.ToDoubleFunction<Figures> value) {
    double[] values = figures.stream().mapToDouble(value).sorted().toArray();
    return values[values.length / 2];
  }

  private static List<String> concat(List<String> list, String... more) {
    var all = new ArrayList<>(list);
    all.addAll(Arrays.asList(more));
    return all;
  }
}
