package ai.dstack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.dstack.core.agents.shim.ImagePullProgress;
import ai.dstack.core.runs.wire.Run;
import ai.dstack.sdk.api.WireJson;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The runs table as dstack lays it out, from runs as the server sends them. */
class RunTableTest {
  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

  private static String print(List<Run> runs, boolean verbose) {
    var text = new StringWriter();
    RunTable.table(runs, verbose, NOW).print(new PrintWriter(text));
    return text.toString();
  }

  /** A job of replica {@code replica}, number {@code jobNum}, on {@code instance} (or none). */
  private static String job(int replica, int jobNum, String status, String message, String jpd) {
    return """
        {"job_spec": {"replica_num": %d, "job_num": %d, "job_name": "j", "commands": [],
                      "env": {}, "image_name": "i", "requirements": {"resources": {}}},
         "job_submissions": [{"id": "6f1c2b4e-1d2a-4c3b-9a8e-0b1c2d3e4f5a", "submission_num": 0,
           "submitted_at": "2026-01-01T11:57:00+00:00", "last_processed_at": "2026-01-01T11:58:00+00:00",
           "status": "%s", "status_message": "%s", "job_provisioning_data": %s}]}
        """
        .formatted(replica, jobNum, status, message, jpd);
  }

  private static final String ON_A100 =
      """
      {"backend": "aws", "region": "us-east-1", "instance_id": "i-1", "username": "ubuntu",
       "price": 1.23456, "dockerized": true,
       "instance_type": {"name": "p4d", "resources": {"cpus": 8, "memory_mib": 65536,
         "gpus": [{"name": "A100", "memory_mib": 40960}, {"name": "A100", "memory_mib": 40960}],
         "spot": true, "disk": {"size_mib": 102400}, "cpu_arch": "x86"}}}
      """;

  private static Run run(String name, String status, String message, String error, String jobs)
      throws Exception {
    String json =
        """
        {"id": "0b5f3b8e-8c6f-4a8e-9d3c-2a1b0c9d8e7f", "project_name": "main", "user": "admin",
         "submitted_at": "2026-01-01T11:57:00+00:00", "last_processed_at": "2026-01-01T11:59:00+00:00",
         "status": "%s", "status_message": "%s", "error": %s,
         "run_spec": {"run_name": "%s", "configuration": {"type": "task", "commands": ["echo"]}},
         "jobs": [%s]}
        """
            .formatted(status, message, error == null ? "null" : '"' + error + '"', name, jobs);
    var run = WireJson.MAPPER.readValue(json, Run.class);
    // As the server sends it: the latest submission of the first job.
    return WireJson.MAPPER.readValue(
        json.replace(
            "\"jobs\":",
            "\"latest_job_submission\": "
                + WireJson.MAPPER.writeValueAsString(run.jobs().getFirst().latestSubmission())
                + ", \"jobs\":"),
        Run.class);
  }

  @Test
  void aRunOfOneJobIsOneRowWithTheJobsStatusAndInstance() throws Exception {
    var run = run("train", "running", "running", null, job(0, 0, "running", "running", ON_A100));

    assertEquals(
        """
        NAME   BACKEND          GPU              PRICE           STATUS   SUBMITTED
        train  aws (us-east-1)  gpu=A100:40GB:2  $1.2346 (spot)  running  3 mins ago
        """,
        print(List.of(run), false));
  }

  @Test
  void aFinishedRunShowsWhyItsJobEnded() throws Exception {
    var run = run("done-run", "done", "done", null, job(0, 0, "done", "exited (0)", "null"));

    assertEquals(
        """
        NAME      BACKEND  GPU  PRICE  STATUS      SUBMITTED
        done-run           -    -      exited (0)  3 mins ago
        """,
        print(List.of(run), false));
  }

  @Test
  void aRunOfSeveralJobsHasItsOwnRowThenOneIndentedRowPerJob() throws Exception {
    var run =
        run(
            "multi",
            "failed",
            "failed",
            "job failed",
            job(0, 0, "failed", "exited (3)", ON_A100)
                + ","
                + job(0, 1, "done", "exited (0)", "null"));

    assertEquals(
        """
        NAME      BACKEND          RESOURCES                                      INSTANCE TYPE  PRICE           STATUS      PROBES  SUBMITTED   ERROR
        multi                      -                                                             -               exited (3)          3 mins ago  job failed
           job=0  aws (us-east-1)  cpu=x86:8 mem=64GB disk=100GB gpu=A100:40GB:2  p4d            $1.2346 (spot)  exited (3)          3 mins ago
           job=1                   -                                                             -               exited (0)          3 mins ago
        """,
        print(List.of(run), true));
  }

  @Test
  void noRunsPrintTheHeaderAlone() {
    assertEquals("NAME  BACKEND  GPU  PRICE  STATUS  SUBMITTED\n", print(List.of(), false));
  }

  @ParameterizedTest
  @CsvSource({
    "0, false, $0",
    "10, false, $10",
    "0.1234, false, $0.1234",
    "0.12345, false, $0.1235",
    "1.5, true, $1.5 (spot)",
    "2.00004, false, $2"
  })
  void priceHasFourPlacesAtMostAndSaysSpot(double price, boolean spot, String expected) {
    assertEquals(expected, RunTable.price(price, spot));
  }

  @ParameterizedTest
  @CsvSource({"0, 0s", "90, 1m 30s", "4545, 1h 15m 45s", "694861, 1w 1d 1h 1m 1s"})
  void inactivityHasEveryUnit(long seconds, String expected) {
    assertEquals(expected, RunTable.durationMultiUnit(seconds));
  }

  @Test
  void pullProgressIsInMegabytesThenGigabytes() {
    assertEquals(
        "10/20/≥100MB",
        RunTable.pullProgress(new ImagePullProgress(20L << 20, 10L << 20, 100L << 20, false)));
    assertEquals(
        "0.50/1.00/2.00GB",
        RunTable.pullProgress(new ImagePullProgress(1L << 30, 1L << 29, 2L << 30, true)));
  }
}
