package ai.dstack.activities.agents;

import ai.dstack.core.agents.runner.HealthcheckResponse;
import ai.dstack.core.agents.runner.MetricsResponse;
import ai.dstack.core.agents.runner.PullResponse;
import ai.dstack.core.agents.runner.RunnerApi;
import ai.dstack.core.agents.runner.SubmitBody;
import ai.dstack.workflows.agents.RunnerTarget;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * The runner's API as the activities use it. Transport failures and server errors are {@link
 * AgentUnavailableException}; refusals are non-retryable failures.
 */
final class RunnerClient {
  private final AgentHttp http;
  private final AgentTimings timings;

  RunnerClient(HttpClient client, RunnerTarget runner, AgentTimings timings) {
    this.http =
        new AgentHttp(
            client, "the runner", runner.task().instance().hostname(), runner.runnerPort());
    this.timings = timings;
  }

  AgentHttp http() {
    return http;
  }

  /** The runner's health check; a refusal when something else answers on its port. */
  HealthcheckResponse healthcheck() throws AgentUnavailableException {
    String call = "the health check";
    var answer = http.get(RunnerApi.HEALTHCHECK, timings.requestTimeout());
    if (!answer.ok()) {
      throw AgentFailures.refused(
          http.agent() + " does not answer as a runner (HTTP " + answer.status() + ")");
    }
    var health = http.read(answer, HealthcheckResponse.class, call);
    if (!RunnerApi.SERVICE.equals(health.service())) {
      throw AgentFailures.refused(
          http.agent() + " answers as " + health.service() + ", not as " + RunnerApi.SERVICE);
    }
    return health;
  }

  /**
   * Submits the job: false when the runner has run it already. A runner serves one task, so a job
   * it has run is this one, submitted by an earlier try whose result was lost (a worker that
   * stopped before its workflow task completed retries its local activities).
   */
  boolean submit(SubmitBody body) throws AgentUnavailableException {
    String call = "the job";
    var answer =
        http.requireNoServerError(
            http.postJson(RunnerApi.SUBMIT, body, timings.requestTimeout()), call);
    return accepted(answer, call);
  }

  /** Uploads the code: false when the runner has run the job already (see {@link #submit}). */
  boolean uploadCode(JobPayloads.Payload code) throws AgentUnavailableException {
    String call = "the code upload";
    try (InputStream in = open(code, "the run's code")) {
      var body =
          HttpRequest.BodyPublishers.fromPublisher(
              HttpRequest.BodyPublishers.ofInputStream(() -> in), code.size());
      var answer =
          http.requireNoServerError(
              http.post(
                  RunnerApi.UPLOAD_CODE, "application/octet-stream", body, timings.uploadTimeout()),
              call);
      return accepted(answer, call);
    } catch (IOException e) {
      // closing a payload stream: nothing to act on
      return true;
    }
  }

  /** Uploads a file archive: false when the runner has run the job already. */
  boolean uploadArchive(JobPayloads.FileArchive archive) throws AgentUnavailableException {
    String call = "file archive " + archive.id();
    if (!archive.id().matches("[A-Za-z0-9_.-]+")) {
      throw AgentFailures.refused(
          "file archive id " + archive.id() + " cannot be a file name of an upload");
    }
    String boundary = "dstack-" + UUID.randomUUID();
    byte[] head =
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\""
                + RunnerApi.ARCHIVE_FIELD
                + "\"; filename=\""
                + archive.id()
                + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
    try (InputStream in = open(archive.payload(), "file archive " + archive.id())) {
      var body =
          HttpRequest.BodyPublishers.concat(
              HttpRequest.BodyPublishers.ofByteArray(head),
              HttpRequest.BodyPublishers.fromPublisher(
                  HttpRequest.BodyPublishers.ofInputStream(() -> in), archive.payload().size()),
              HttpRequest.BodyPublishers.ofByteArray(tail));
      var answer =
          http.requireNoServerError(
              http.post(
                  RunnerApi.UPLOAD_ARCHIVE,
                  "multipart/form-data; boundary=" + boundary,
                  body,
                  timings.uploadTimeout()),
              call);
      return accepted(answer, call);
    } catch (IOException e) {
      // closing a payload stream: nothing to act on
      return true;
    }
  }

  /** Runs the submitted job: false when the runner has run it already. */
  boolean run() throws AgentUnavailableException {
    String call = "the run";
    var answer =
        http.requireNoServerError(http.postEmpty(RunnerApi.RUN, timings.requestTimeout()), call);
    // 409: run is accepted once, before which submit must have succeeded; the workflow submits
    // before it runs, so this is a retried run finding its job running (or over).
    return accepted(answer, call);
  }

  /**
   * Whether the runner took the call: false for its 409, which it answers to a step of a job it has
   * run already (a runner serves one task, so that job is this one); any other refusal throws.
   */
  private boolean accepted(AgentHttp.Answer answer, String call) {
    if (answer.status() == 409) {
      return false;
    }
    if (!answer.ok()) {
      throw AgentFailures.refused(http, call, answer);
    }
    return true;
  }

  /** The events after {@code timestamp}; also tells the runner that those up to it are stored. */
  PullResponse pull(long timestamp) throws AgentUnavailableException {
    String path = RunnerApi.PULL + "?" + RunnerApi.TIMESTAMP_PARAM + "=" + timestamp;
    String call = "the pull";
    var answer = http.requireNoServerError(http.get(path, timings.requestTimeout()), call);
    if (!answer.ok()) {
      throw new AgentUnavailableException(
          http.agent() + " refused " + call + " (HTTP " + answer.status() + "): " + answer.error());
    }
    return http.read(answer, PullResponse.class, call);
  }

  /** The job's resource use now; empty when the runner cannot read it (no cgroup). */
  Optional<MetricsResponse> metrics(Duration timeout) throws AgentUnavailableException {
    String call = "the metrics";
    var answer = http.requireNoServerError(http.get(RunnerApi.METRICS, timeout), call);
    if (answer.status() == 404) {
      return Optional.empty();
    }
    if (!answer.ok()) {
      throw new AgentUnavailableException(
          http.agent() + " refused " + call + " (HTTP " + answer.status() + "): " + answer.error());
    }
    return Optional.of(http.read(answer, MetricsResponse.class, call));
  }

  void stop() throws AgentUnavailableException {
    String call = "the stop";
    var answer =
        http.requireNoServerError(http.postEmpty(RunnerApi.STOP, timings.requestTimeout()), call);
    if (!answer.ok()) {
      throw AgentFailures.refused(http, call, answer);
    }
  }

  private static InputStream open(JobPayloads.Payload payload, String what) {
    try {
      return payload.source().open();
    } catch (IOException | RuntimeException e) {
      throw AgentFailures.payload(what, e);
    }
  }
}
