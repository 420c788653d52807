package ai.dstack.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.dstack.core.agents.runner.JobState;
import ai.dstack.core.agents.runner.TerminationReason;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Code and file archives uploaded before run are in place when the job starts. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RunnerUploadTest {
  private static final Duration JOB_TIMEOUT = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void uploadedCodeTarIsExtractedIntoTheRepoDir() throws Exception {
    Path source = Files.createDirectories(dir.resolve("source/src"));
    Files.writeString(source.resolve("train.py"), "print('hi')\n");
    Path deep =
        Files.createDirectories(source.resolveSibling("a".repeat(60) + "/" + "b".repeat(60)));
    Files.writeString(deep.resolve("long-name.txt"), "deep\n");
    byte[] tar = tar(dir.resolve("source"), "--format=pax", ".");
    try (var runner = RunnerProcess.start(dir.resolve("runner"))) {
      runner.submit(
          runner.shellJob(
              List.of(
                  "cd \"$DSTACK_REPO_DIR\"",
                  "cat src/train.py",
                  "cat " + "a".repeat(60) + "/" + "b".repeat(60) + "/long-name.txt"),
              Map.of()));
      assertEquals(
          200, runner.post("/api/upload_code", "application/octet-stream", tar).statusCode());
      runner.run();

      var pulled = runner.pullToEnd(JOB_TIMEOUT);

      assertEquals("print('hi')\ndeep\n", pulled.jobLogText(), pulled.toString());
      assertEquals(JobState.DONE, pulled.last().state());
    }
  }

  @Test
  void uploadedDiffIsAppliedOnTheClonedRemoteRepo() throws Exception {
    assumeTrue(JobProcess.which("git", System.getenv("PATH")).isPresent(), "git is installed");
    Path origin = Files.createDirectories(dir.resolve("origin"));
    git(origin, "init", "-q", "-b", "main");
    Files.writeString(origin.resolve("README.md"), "first\n");
    git(origin, "add", "README.md");
    git(origin, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "one");
    String hash = git(origin, "rev-parse", "HEAD").strip();
    Files.writeString(origin.resolve("README.md"), "first\npatched\n");
    byte[] diff = git(origin, "diff").getBytes(StandardCharsets.UTF_8);
    git(origin, "checkout", "--", "README.md");

    try (var runner = RunnerProcess.start(dir.resolve("runner"))) {
      var spec =
          runner.shellJob(
              List.of("cd \"$DSTACK_REPO_DIR\"", "cat README.md", "git config user.name"),
              Map.of(
                  "repo_data",
                  Map.of(
                      "repo_type", "remote",
                      "repo_name", "origin",
                      "repo_branch", "main",
                      "repo_hash", hash,
                      "repo_config_name", "Jane Doe",
                      "repo_config_email", "jane@example.com")));
      var body = RunnerProcess.submitBody(spec);
      body.put("repo_credentials", Map.of("clone_url", origin.toString()));
      assertEquals(200, runner.postJson("/api/submit", body).statusCode());
      assertEquals(
          200, runner.post("/api/upload_code", "application/octet-stream", diff).statusCode());
      runner.run();

      var pulled = runner.pullToEnd(JOB_TIMEOUT);

      assertEquals("first\npatched\nJane Doe\n", pulled.jobLogText(), pulled.toString());
    }
  }

  @Test
  void repoDirThatIsNotEmptyFailsTheJobWhenAskedTo() throws Exception {
    try (var runner = RunnerProcess.start(dir.resolve("runner"))) {
      Path repo = Files.createDirectories(runner.dir.resolve("repo"));
      Files.writeString(repo.resolve("left-over"), "x");
      runner.submitAndRun(
          runner.shellJob(List.of("echo never"), Map.of("repo_exists_action", "error")));

      var pulled = runner.pullToEnd(JOB_TIMEOUT);

      assertEquals(JobState.FAILED, pulled.last().state());
      assertEquals(
          TerminationReason.CONTAINER_EXITED_WITH_ERROR, pulled.last().terminationReason());
      assertEquals(
          "Failed to set up the repo (repo dir is not empty: " + repo + ")",
          pulled.last().terminationMessage());
    }
  }

  @Test
  void uploadedArchiveIsExtractedToItsPath() throws Exception {
    Path source = Files.createDirectories(dir.resolve("files/configs/nested"));
    Files.writeString(source.resolve("app.yaml"), "key: value\n");
    Path single = dir.resolve("files/token.txt");
    Files.writeString(single, "secret-token\n");
    byte[] dirArchive = tar(dir.resolve("files"), "configs");
    byte[] fileArchive = tar(dir.resolve("files"), "token.txt");
    String dirId = "4f3e2d1c-0000-4000-8000-000000000001";
    String fileId = "4f3e2d1c-0000-4000-8000-000000000002";

    try (var runner = RunnerProcess.start(dir.resolve("runner"))) {
      Path home = runner.dir.resolve("target-home");
      runner.submit(
          runner.shellJob(
              List.of("cat etc/app/nested/app.yaml", "cat \"" + home + "/token\""),
              Map.of(
                  "file_archives",
                  List.of(
                      Map.of("id", dirId, "path", "etc/app"),
                      Map.of("id", fileId, "path", home.resolve("token").toString())))));
      for (var upload : List.of(Map.entry(dirId, dirArchive), Map.entry(fileId, fileArchive))) {
        var response = uploadArchive(runner, upload.getKey(), upload.getValue());
        assertEquals(200, response.statusCode(), response.body());
      }
      runner.run();

      var pulled = runner.pullToEnd(JOB_TIMEOUT);

      assertEquals("key: value\nsecret-token\n", pulled.jobLogText(), pulled.toString());
    }
  }

  @Test
  void missingArchiveFailsTheJobWithAnExecutorError() throws Exception {
    try (var runner = RunnerProcess.start(dir.resolve("runner"))) {
      runner.submitAndRun(
          runner.shellJob(
              List.of("true"),
              Map.of("file_archives", List.of(Map.of("id", "nope", "path", "x")))));

      var pulled = runner.pullToEnd(JOB_TIMEOUT);

      assertEquals(TerminationReason.EXECUTOR_ERROR, pulled.last().terminationReason());
      assertEquals(
          "Failed to set up files (file archive nope was not uploaded)",
          pulled.last().terminationMessage());
    }
  }

  /** Uploads as dstack's server does: {@code files={"archive": (id, bytes)}}. */
  private static java.net.http.HttpResponse<String> uploadArchive(
      RunnerProcess runner, String id, byte[] archive) throws Exception {
    String boundary = "b0undary" + id.hashCode();
    var body = new ByteArrayOutputStream();
    body.writeBytes(
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"archive\"; filename=\""
                + id
                + "\"\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    body.writeBytes(archive);
    body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
    return runner.post(
        "/api/upload_archive", "multipart/form-data; boundary=" + boundary, body.toByteArray());
  }

  static byte[] tar(Path dir, String... args) throws Exception {
    var command = new ArrayList<>(List.of("tar", "-cf", "-", "-C", dir.toString()));
    command.addAll(List.of(args));
    Process tar =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    byte[] bytes = tar.getInputStream().readAllBytes();
    assertEquals(0, tar.waitFor());
    return bytes;
  }

  private static String git(Path dir, String... args) throws Exception {
    var command = new ArrayList<>(List.of("git"));
    command.addAll(List.of(args));
    Process git =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(git.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, git.exitValue(), out);
    return out;
  }
}
