package ai.dstack.examples.batch;

import ai.dstack.core.runs.RunStatus;
import ai.dstack.sdk.Dstack;
import ai.dstack.sdk.Run;
import ai.dstack.sdk.api.DstackException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * A batch pipeline on the Java SDK: one dstack task per input ({@code echo $((N*N))} with {@code N}
 * the input), at most {@code concurrency} of them submitted and not yet finished at any time; each
 * task's result is read from its log, and the pipeline ends with a summary.
 *
 * <p>Run it against the project dstack's CLI is configured for ({@code ~/.dstack/config.yml},
 * {@code DSTACK_PROJECT}, ...):
 *
 * <pre>{@code
 * java -cp ... ai.dstack.examples.batch.BatchPipeline [tasks (50)] [concurrency (8)]
 * }</pre>
 */
public final class BatchPipeline {

  /**
   * One task's outcome.
   *
   * @param input the task's {@code N}
   * @param runName the run that computed it
   * @param status how the run ended (null when it could not be submitted or awaited)
   * @param value the number the task printed, or null without one
   * @param took from submission to the end of the run
   * @param error why there is no value, or null
   */
  public record Result(
      int input, String runName, RunStatus status, Long value, Duration took, String error) {

    /** Whether the run is done and printed its number. */
    public boolean succeeded() {
      return status == RunStatus.DONE && value != null;
    }
  }

  /**
   * The outcome of every task.
   *
   * @param results one per input, in the inputs' order
   * @param took the whole pipeline's wall time
   * @param concurrency the most tasks allowed in flight
   * @param maxInFlight the most tasks that were in flight at once
   */
  public record Summary(List<Result> results, Duration took, int concurrency, int maxInFlight) {

    /** How many tasks succeeded. */
    public long succeeded() {
      return results.stream().filter(Result::succeeded).count();
    }

    /** The sum of the values the tasks printed. */
    public long sum() {
      return results.stream().filter(Result::succeeded).mapToLong(Result::value).sum();
    }

    /** A few lines for people: counts, the sum, the slowest task, the failures. */
    public String describe() {
      var text = new StringBuilder();
      text.append(
          String.format(
              Locale.ROOT,
              "%d tasks, at most %d in flight (%d at the peak): %d succeeded, %d failed in %.1f s%n",
              results.size(),
              concurrency,
              maxInFlight,
              succeeded(),
              results.size() - succeeded(),
              took.toMillis() / 1000.0));
      text.append("sum of the results: ").append(sum()).append('\n');
      results.stream()
          .max(java.util.Comparator.comparing(Result::took))
          .ifPresent(
              slowest ->
                  text.append(
                      String.format(
                          Locale.ROOT,
                          "slowest: %s (%.1f s)%n",
                          slowest.runName(),
                          slowest.took().toMillis() / 1000.0)));
      for (Result failed : results.stream().filter(r -> !r.succeeded()).toList()) {
        text.append("failed: ")
            .append(failed.runName())
            .append(": ")
            .append(failed.status() == null ? "" : failed.status().value() + " ")
            .append(failed.error() == null ? "" : failed.error())
            .append('\n');
      }
      return text.toString();
    }
  }

  private final Dstack dstack;
  private final int concurrency;
  private final Duration taskTimeout;

  /**
   * A pipeline submitting to {@code dstack}'s project.
   *
   * @param concurrency the most tasks submitted and not yet finished at any time
   * @param taskTimeout how long one task may take from submission to its end (queueing included)
   */
  public BatchPipeline(Dstack dstack, int concurrency, Duration taskTimeout) {
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1");
    }
    this.dstack = dstack;
    this.concurrency = concurrency;
    this.taskTimeout = taskTimeout;
  }

  /** Runs one task per input and waits for them all. */
  public Summary run(List<Integer> inputs) throws InterruptedException {
    String batch = UUID.randomUUID().toString().substring(0, 6);
    var slots = new Semaphore(concurrency);
    var inFlight = new AtomicInteger();
    var maxInFlight = new AtomicInteger();
    long started = System.nanoTime();
    var futures = new ArrayList<Future<Result>>();
    try (var executor = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int input : inputs) {
        // Taking the slot here, not in the task, submits the tasks in the inputs' order.
        slots.acquire();
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        String runName = "square-" + batch + "-" + input;
        futures.add(
            executor.submit(
                () -> {
                  try {
                    return runTask(runName, input);
                  } finally {
                    inFlight.decrementAndGet();
                    slots.release();
                  }
                }));
      }
    }
    var results = new ArrayList<Result>();
    for (var future : futures) {
      try {
        results.add(future.get());
      } catch (ExecutionException e) {
        throw new IllegalStateException("a task failed unexpectedly", e.getCause());
      }
    }
    return new Summary(
        results, Duration.ofNanos(System.nanoTime() - started), concurrency, maxInFlight.get());
  }

  /** Submits one task, follows its log to the end, and reads its result from the last line. */
  private Result runTask(String runName, int input) throws InterruptedException {
    long started = System.nanoTime();
    try {
      Run run = dstack.applyYaml(configuration(runName, input));
      List<String> lines;
      try (var log = run.logs()) {
        lines = log.toList();
      }
      RunStatus status = run.await(taskTimeout);
      Long value = lastNumber(lines);
      String error =
          value != null ? null : "no number in its log (exit status " + run.exitStatus() + ")";
      return new Result(input, runName, status, value, since(started), error);
    } catch (DstackException | TimeoutException e) {
      return new Result(input, runName, null, null, since(started), e.getMessage());
    }
  }

  /**
   * The task of one input. One CPU and a little memory each, so a host runs as many side by side as
   * it has CPUs.
   */
  static String configuration(String runName, int input) {
    return """
        type: task
        name: %s
        env:
          - N=%d
        commands:
          - echo $((N*N))
        resources:
          cpu: 1
          memory: 1GB..
          disk: 1GB..
        """
        .formatted(runName, input);
  }

  private static Long lastNumber(List<String> lines) {
    for (int i = lines.size() - 1; i >= 0; i--) {
      String line = lines.get(i).strip();
      if (line.matches("-?\\d+")) {
        return Long.parseLong(line);
      }
    }
    return null;
  }

  private static Duration since(long nanos) {
    return Duration.ofNanos(System.nanoTime() - nanos);
  }

  /**
   * Runs the pipeline on the project dstack's CLI is configured for and prints its summary; exits 1
   * when a task failed, 2 when no project is configured.
   *
   * @param args the number of tasks (50) and the concurrency (8)
   */
  public static void main(String[] args) throws InterruptedException {
    int tasks = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    int concurrency = args.length > 1 ? Integer.parseInt(args[1]) : 8;
    Dstack dstack;
    try {
      dstack = Dstack.fromConfig();
    } catch (DstackException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    Summary summary;
    try (dstack) {
      var pipeline = new BatchPipeline(dstack, concurrency, Duration.ofMinutes(30));
      summary = pipeline.run(IntStream.rangeClosed(1, tasks).boxed().toList());
    }
    System.out.print(summary.describe());
    System.exit(summary.succeeded() == tasks ? 0 : 1);
  }
}
