package ai.dstack.runner;

import static org.junit.jupiter.api.Assertions.fail;

import ai.dstack.core.agents.runner.JobState;
import ai.dstack.core.agents.runner.JobStateEvent;
import ai.dstack.core.agents.runner.LogEvent;
import ai.dstack.core.agents.runner.PullResponse;
import ai.dstack.core.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real runner, started as a separate JVM from the test classpath on a free port of 127.0.0.1,
 * with its home and working dir in a temp dir; and a client of its API.
 */
final class RunnerProcess implements AutoCloseable {
  private static final Pattern LISTENING =
      Pattern.compile("runner listening on 127\\.0\\.0\\.1:(\\d+)");

  final Path dir;
  final Path home;
  final Path work;
  final Process process;
  final int port;
  private final HttpClient http = HttpClient.newHttpClient();

  private RunnerProcess(Path dir, Path home, Path work, Process process, int port) {
    this.dir = dir;
    this.home = home;
    this.work = work;
    this.process = process;
    this.port = port;
  }

  /** Starts a runner in {@code dir}: home {@code dir/home}, working dir {@code dir/work}. */
  static RunnerProcess start(Path dir, String... extraArgs)
      throws IOException, InterruptedException {
    Path home = dir.resolve("home");
    Path work = Files.createDirectories(dir.resolve("work"));
    Path stdout = dir.resolve("runner.stdout");
    Path stderr = dir.resolve("runner.stderr");
    var command = new ArrayList<String>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto"));
    command.addAll(List.of("-cp", System.getProperty("java.class.path")));
    command.add(RunnerMain.class.getName());
    command.addAll(List.of("--host", "127.0.0.1", "--port", "0", "--home", home.toString()));
    command.addAll(List.of(extraArgs));
    Process process =
        new ProcessBuilder(command)
            .directory(work.toFile())
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile())
            .start();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      String out = Files.exists(stdout) ? Files.readString(stdout) : "";
      Matcher matcher = LISTENING.matcher(out);
      if (matcher.find()) {
        return new RunnerProcess(dir, home, work, process, Integer.parseInt(matcher.group(1)));
      }
      if (!process.isAlive()) {
        fail("the runner exited with " + process.exitValue() + ": " + Files.readString(stderr));
      }
      Thread.sleep(20);
    }
    process.destroyForcibly();
    fail("the runner did not print its port within 30 s: " + Files.readString(stderr));
    return null;
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  HttpResponse<String> post(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.noBody()));
  }

  HttpResponse<String> post(String path, String contentType, byte[] body)
      throws IOException, InterruptedException {
    var request =
        HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    return send(request);
  }

  HttpResponse<String> postJson(String path, Object body) throws IOException, InterruptedException {
    byte[] json =
        body instanceof String text
            ? text.getBytes(StandardCharsets.UTF_8)
            : Json.MAPPER.writeValueAsBytes(body);
    return post(path, "application/json", json);
  }

  /** Submits {@code jobSpec} (snake_case keys) and runs it, checking both answers. */
  void submitAndRun(Map<String, Object> jobSpec) throws IOException, InterruptedException {
    submit(jobSpec);
    run();
  }

  void submit(Map<String, Object> jobSpec) throws IOException, InterruptedException {
    var submit = postJson("/api/submit", submitBody(jobSpec));
    if (submit.statusCode() != 200) {
      fail("submit: " + submit.statusCode() + " " + submit.body());
    }
  }

  void run() throws IOException, InterruptedException {
    var run = post("/api/run");
    if (run.statusCode() != 200) {
      fail("run: " + run.statusCode() + " " + run.body());
    }
  }

  /** A submit body as dstack's server sends it, around {@code jobSpec}. */
  static Map<String, Object> submitBody(Map<String, Object> jobSpec) {
    var body = new LinkedHashMap<String, Object>();
    body.put(
        "run",
        Map.of(
            "id",
            "0f5b4a1e-1111-4c3b-9d2e-000000000001",
            "run_spec",
            Map.of(
                "run_name",
                "happy-cat-1",
                "repo_id",
                "repo-1",
                "repo_data",
                Map.of("repo_type", "virtual"),
                "configuration",
                Map.of("type", "task"))));
    body.put("job_spec", jobSpec);
    body.put("job_submission", Map.of("id", "0f5b4a1e-2222-4c3b-9d2e-000000000002"));
    body.put("secrets", Map.of());
    return body;
  }

  /** A job spec of shell commands, in the runner's home dir work area; {@code more} on top. */
  Map<String, Object> shellJob(List<String> commands, Map<String, Object> more) {
    var spec = new LinkedHashMap<String, Object>();
    spec.put("job_num", 0);
    spec.put("jobs_per_replica", 1);
    spec.put("commands", commands);
    spec.put("shell", "sh");
    spec.put("env", Map.of());
    spec.put("working_dir", work.toString());
    spec.put("repo_dir", dir.resolve("repo").toString());
    spec.putAll(more);
    return spec;
  }

  PullResponse pull(long timestamp) throws IOException, InterruptedException {
    var response = get("/api/pull?timestamp=" + timestamp);
    if (response.statusCode() != 200) {
      fail("pull: " + response.statusCode() + " " + response.body());
    }
    return Json.MAPPER.readValue(response.body(), PullResponse.class);
  }

  /** Everything pulled until the runner said it has no more, as dstack's server follows a job. */
  Pulled pullToEnd(Duration timeout) throws IOException, InterruptedException {
    var pulled = new Pulled();
    long cursor = 0;
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      PullResponse response = pull(cursor);
      pulled.add(response);
      if (response.lastUpdated() < cursor) {
        fail("last_updated went back from " + cursor + " to " + response.lastUpdated());
      }
      cursor = response.lastUpdated();
      if (!response.hasMore()) {
        return pulled;
      }
      if (System.nanoTime() > deadline) {
        fail("the job did not end within " + timeout + "; pulled so far: " + pulled);
      }
      if (response.jobLogs().isEmpty() && response.jobStates().isEmpty()) {
        Thread.sleep(25);
      }
    }
  }

  /** Pulls until the job reports {@code state}; returns what was pulled so far. */
  Pulled pullUntil(JobState state, Pulled pulled, Duration timeout)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (pulled.states.stream().noneMatch(s -> s.state() == state)) {
      if (System.nanoTime() > deadline) {
        fail("no " + state + " within " + timeout + "; pulled so far: " + pulled);
      }
      PullResponse response = pull(pulled.cursor);
      pulled.add(response);
      Thread.sleep(25);
    }
    return pulled;
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  private HttpResponse<String> send(HttpRequest.Builder request)
      throws IOException, InterruptedException {
    return http.send(
        request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() {
    http.close();
    if (process.isAlive()) {
      // SIGTERM first: the runner's shutdown hook takes the job's process group with it.
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }

  /** What pulls handed over, in order. */
  static final class Pulled {
    final List<JobStateEvent> states = new ArrayList<>();
    final ByteArrayOutputStream jobLog = new ByteArrayOutputStream();
    final StringBuilder runnerLog = new StringBuilder();
    long cursor;
    int pulls;

    void add(PullResponse response) {
      pulls++;
      states.addAll(response.jobStates());
      for (LogEvent event : response.jobLogs()) {
        jobLog.writeBytes(event.message());
      }
      for (LogEvent event : response.runnerLogs()) {
        runnerLog.append(new String(event.message(), StandardCharsets.UTF_8));
      }
      cursor = response.lastUpdated();
    }

    String jobLogText() {
      return jobLog.toString(StandardCharsets.UTF_8);
    }

    JobStateEvent last() {
      return states.getLast();
    }

    @Override
    public String toString() {
      return "states " + states + ", job log:\n" + jobLogText() + "\nrunner log:\n" + runnerLog;
    }
  }
}
