package ai.dstack.shim.tasks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How the shim starts the runner: the runner's self-contained jar on a Java runtime, listening on a
 * port. In a container both are bind-mounted read-only at {@link #JAVA_IN_CONTAINER} and {@link
 * #JAR_IN_CONTAINER}, and the class-data archive directory read-write at {@link
 * #CACHE_IN_CONTAINER}.
 *
 * @param javaHome the Java runtime (its {@code bin/java} runs the runner)
 * @param runnerJar the runner jar
 * @param defaultPort the runner's port when a task names none
 * @param cacheDir where the runners' class-data archive is kept between tasks
 */
public record RunnerLaunch(Path javaHome, Path runnerJar, int defaultPort, Path cacheDir) {

  public static final String JAVA_IN_CONTAINER = "/dstack/java";
  public static final String JAR_IN_CONTAINER = "/dstack/runner.jar";
  public static final String CACHE_IN_CONTAINER = "/dstack/cache";

  /** The runners' class-data archive in the cache directory. */
  public static final String ARCHIVE = "runner.jsa";

  /**
   * The runner's lean set (docs/benchmarks.md, "Runner"): quick start and a footprint that does not
   * grow with the host's memory, for an agent that mostly waits on I/O.
   */
  static final List<String> JVM_OPTIONS =
      List.of(
          "-XX:+UseSerialGC",
          "-XX:TieredStopAtLevel=1",
          "-Xss512k",
          "-Xms8m",
          "-Xmx64m",
          "-XX:-UsePerfData");

  /** {@code java} of the runtime at {@code javaHome}. */
  public static String javaBinary(String javaHome) {
    return javaHome + "/bin/java";
  }

  /**
   * The command line: {@code <java> <options> -jar <jar> --port <port> <runner arguments>}.
   *
   * @param archive a class-data archive the first runner writes and the next ones load (start time
   *     halved), null for none
   * @param runnerArguments e.g. {@code --home DIR} where runners share a file system
   */
  public static List<String> command(
      String javaBinary, String jar, int port, String archive, String... runnerArguments) {
    List<String> command = new ArrayList<>();
    command.add(javaBinary);
    command.addAll(JVM_OPTIONS);
    if (archive != null) {
      // the archive's warnings (classes it skips) would land in the runner's output
      command.addAll(
          List.of(
              "-XX:SharedArchiveFile=" + archive,
              "-XX:+AutoCreateSharedArchive",
              "-Xlog:cds*=off"));
    }
    command.addAll(List.of("-jar", jar, "--port", Integer.toString(port)));
    command.addAll(List.of(runnerArguments));
    return command;
  }
}
