package ai.dstack.runner;

import ai.dstack.core.agents.runner.RepoCredentials;
import ai.dstack.core.agents.runner.RepoData;
import ai.dstack.core.agents.runner.RepoExistsAction;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * Puts the run's repo into the repo dir: the uploaded tar archive extracted ({@code local} and
 * {@code virtual} repos), or a git clone at the run's commit with the uploaded diff applied ({@code
 * remote} repos).
 */
final class RepoCheckout {
  private final RunnerLog log;
  private final Path scratch;
  private final BooleanSupplier stopRequested;

  /**
   * @param scratch a private dir for key files
   * @param stopRequested whether the job was stopped meanwhile: a clone in progress is abandoned
   */
  RepoCheckout(RunnerLog log, Path scratch, BooleanSupplier stopRequested) {
    this.log = log;
    this.scratch = scratch;
    this.stopRequested = stopRequested;
  }

  /**
   * Checks out the repo into {@code repoDir}.
   *
   * @param code the uploaded code, or a path that does not exist when none was uploaded
   * @throws IOException saying what failed, for the job's termination message
   */
  void checkout(
      Path repoDir,
      RepoData repo,
      RepoCredentials credentials,
      Boolean singleBranch,
      RepoExistsAction existsAction,
      Path code)
      throws IOException {
    if (!isEmpty(repoDir)) {
      if (existsAction == RepoExistsAction.ERROR) {
        throw new IOException("repo dir is not empty: " + repoDir);
      }
      log.info("Skipping repo checkout: repo dir %s is not empty", repoDir);
      return;
    }
    if (repo != null && repo.isRemote()) {
      cloneRemote(repoDir, repo, credentials, singleBranch, code);
    } else if (Files.exists(code)) {
      log.info("Extracting the code archive into %s", repoDir);
      try (InputStream in = Files.newInputStream(code)) {
        TarExtractor.extract(in, repoDir, UnaryOperator.identity());
      }
    }
  }

  private void cloneRemote(
      Path repoDir, RepoData repo, RepoCredentials credentials, Boolean singleBranch, Path code)
      throws IOException {
    if (credentials == null || credentials.cloneUrl() == null || credentials.cloneUrl().isEmpty()) {
      throw new IOException("the repo is remote, and repo_credentials has no clone_url");
    }
    String url = credentials.cloneUrl();
    var env = new HashMap<String, String>(System.getenv());
    env.put("GIT_TERMINAL_PROMPT", "0");
    var git = new ArrayList<>(List.of("git"));
    Path keyFile = null;
    try {
      if (url.startsWith("https://") || url.startsWith("http://")) {
        if (credentials.oauthToken() != null && !credentials.oauthToken().isEmpty()) {
          // As dstack's runner: basic auth with the token as the password, any user name.
          String basic =
              Base64.getEncoder()
                  .encodeToString(
                      ("anything:" + credentials.oauthToken()).getBytes(StandardCharsets.UTF_8));
          git.addAll(List.of("-c", "http.extraHeader=Authorization: Basic " + basic));
        }
      } else if (credentials.privateKey() != null && !credentials.privateKey().isEmpty()) {
        Files.createDirectories(scratch);
        keyFile = scratch.resolve("git_ssh_key");
        Files.deleteIfExists(keyFile);
        Files.createFile(
            keyFile,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        String key = credentials.privateKey();
        Files.writeString(keyFile, key.endsWith("\n") ? key : key + "\n");
        env.put(
            "GIT_SSH_COMMAND",
            "ssh -i '"
                + keyFile
                + "' -o IdentitiesOnly=yes -o StrictHostKeyChecking=no"
                + " -o UserKnownHostsFile=/dev/null");
      }
      var clone = new ArrayList<>(git);
      clone.add("clone");
      if (repo.repoBranch() != null && !repo.repoBranch().isEmpty()) {
        clone.addAll(List.of("--branch", repo.repoBranch()));
      }
      clone.add(Boolean.TRUE.equals(singleBranch) ? "--single-branch" : "--no-single-branch");
      clone.addAll(List.of("--", url, repoDir.toString()));
      Files.createDirectories(repoDir.getParent());
      log.info("Cloning %s into %s", redacted(url), repoDir);
      run(clone, repoDir.getParent(), env, "git clone");
      if (repo.repoHash() != null && !repo.repoHash().isEmpty()) {
        run(List.of("git", "checkout", "--quiet", repo.repoHash()), repoDir, env, "git checkout");
      }
      if (repo.repoConfigName() != null && !repo.repoConfigName().isEmpty()) {
        run(
            List.of("git", "config", "user.name", repo.repoConfigName()),
            repoDir,
            env,
            "git config");
      }
      if (repo.repoConfigEmail() != null && !repo.repoConfigEmail().isEmpty()) {
        run(
            List.of("git", "config", "user.email", repo.repoConfigEmail()),
            repoDir,
            env,
            "git config");
      }
      if (Files.exists(code) && Files.size(code) > 0) {
        log.info("Applying the uploaded diff (%d bytes)", Files.size(code));
        run(
            List.of("git", "apply", "--whitespace=nowarn", code.toString()),
            repoDir,
            env,
            "git apply");
      }
    } finally {
      if (keyFile != null) {
        Files.deleteIfExists(keyFile);
      }
    }
  }

  private void run(List<String> command, Path dir, Map<String, String> env, String what)
      throws IOException {
    var builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    builder.environment().clear();
    builder.environment().putAll(env);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new IOException(what + " could not start (is git installed?): " + e.getMessage(), e);
    }
    process.getOutputStream().close();
    var output = new StringBuilder();
    Thread reader =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    output.append(
                        new String(
                            process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                  } catch (IOException e) {
                    // the exit status tells what matters
                  }
                });
    try {
      while (!process.waitFor(200, TimeUnit.MILLISECONDS)) {
        if (stopRequested.getAsBoolean()) {
          process.destroyForcibly();
          throw new IOException(what + " interrupted: the job was stopped");
        }
      }
      reader.join();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException(what + " interrupted", e);
    }
    String text = output.toString().strip();
    if (!text.isEmpty()) {
      log.info("%s: %s", what, text);
    }
    if (process.exitValue() != 0) {
      throw new IOException(
          what
              + " failed with exit status "
              + process.exitValue()
              + (text.isEmpty() ? "" : ": " + lastLine(text)));
    }
  }

  /** Whether the dir is missing, empty, or holds only {@code lost+found} (a fresh volume). */
  static boolean isEmpty(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return true;
    }
    if (!Files.isDirectory(dir)) {
      throw new IOException("repo dir is not a directory: " + dir);
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.allMatch(entry -> entry.getFileName().toString().equals("lost+found"));
    }
  }

  private static String lastLine(String text) {
    int newline = text.lastIndexOf('\n');
    return newline < 0 ? text : text.substring(newline + 1);
  }

  private static String redacted(String url) {
    return url.replaceFirst("//[^/@]*@", "//***@");
  }
}
