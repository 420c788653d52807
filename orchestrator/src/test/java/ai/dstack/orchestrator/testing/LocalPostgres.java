package ai.dstack.orchestrator.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A throwaway PostgreSQL 15 cluster from Debian's packages, in a temp dir on a free port; shared by
 * the test run and removed when the JVM exits. As root it runs as the {@code postgres} user
 * (PostgreSQL refuses root), installing Debian's {@code postgresql} package when it is missing.
 */
public final class LocalPostgres {
  private LocalPostgres() {}

  private static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");
  private static final String USER = "dstack";
  private static final String PASSWORD = "s3cret:p@ss";
  private static final Duration TIMEOUT = Duration.ofMinutes(2);

  private static String url;

  /** {@code DSTACK_DATABASE_URL} of the database the test contexts share, in the shared cluster. */
  public static synchronized String url() {
    if (url == null) {
      url = start();
    }
    return url;
  }

  /**
   * {@code DSTACK_DATABASE_URL} of a new, empty database {@code name} in the shared cluster, for
   * servers that must not meet the test contexts' users and projects.
   */
  public static synchronized String newDatabase(String name) {
    var shared = URI.create(url());
    var result =
        Processes.run(
            List.of(
                BIN.resolve("createdb").toString(),
                "-h",
                "127.0.0.1",
                "-p",
                Integer.toString(shared.getPort()),
                "-U",
                USER,
                name),
            Path.of("/"),
            Map.of("PGPASSWORD", PASSWORD),
            TIMEOUT);
    if (result.exitCode() != 0) {
      throw new IllegalStateException("createdb " + name + " failed:\n" + result.output());
    }
    return url.substring(0, url.lastIndexOf('/') + 1) + name;
  }

  private static String start() {
    boolean root = "root".equals(System.getProperty("user.name"));
    if (!Files.isExecutable(BIN.resolve("pg_ctl"))) {
      install(root);
    }
    try {
      Path dir = Files.createTempDirectory("dstack-pg-");
      Path data = dir.resolve("data");
      Path passwordFile = dir.resolve("password");
      Files.writeString(passwordFile, PASSWORD + "\n");
      if (root) {
        run(List.of("chown", "-R", "postgres:postgres", dir.toString()), false);
      }
      int port = freePort();
      run(
          List.of(
              BIN.resolve("initdb").toString(),
              "-D",
              data.toString(),
              "-U",
              USER,
              "--pwfile=" + passwordFile,
              "--auth-local=trust",
              "--auth-host=scram-sha-256",
              "--encoding=UTF8",
              "--no-sync"),
          root);
      run(
          List.of(
              BIN.resolve("pg_ctl").toString(),
              "-D",
              data.toString(),
              "-l",
              dir.resolve("postgres.log").toString(),
              "-o",
              "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off",
              "-w",
              "start"),
          root);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    run(
                        List.of(
                            BIN.resolve("pg_ctl").toString(),
                            "-D",
                            data.toString(),
                            "-m",
                            "immediate",
                            "stop"),
                        root);
                    run(List.of("rm", "-rf", dir.toString()), false);
                  }));
      run(
          List.of(
              BIN.resolve("createdb").toString(),
              "-h",
              dir.toString(),
              "-p",
              Integer.toString(port),
              "-U",
              USER,
              "dstack"),
          root);
      String encodedPassword = PASSWORD.replace(":", "%3A").replace("@", "%40");
      return "postgresql://" + USER + ":" + encodedPassword + "@127.0.0.1:" + port + "/dstack";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void install(boolean root) {
    if (!root) {
      throw new IllegalStateException(
          "PostgreSQL 15 is missing; install Debian's postgresql package (apt-get install -y"
              + " postgresql)");
    }
    run(List.of("apt-get", "update", "-qq"), false);
    run(List.of("apt-get", "install", "-y", "-qq", "postgresql"), false);
  }

  private static void run(List<String> command, boolean asPostgres) {
    List<String> full = new ArrayList<>();
    if (asPostgres) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.addAll(command);
    Processes.Result result = Processes.run(full, Path.of("/"), Map.of(), TIMEOUT);
    if (result.exitCode() != 0) {
      throw new IllegalStateException(full + " failed:\n" + result.output());
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
