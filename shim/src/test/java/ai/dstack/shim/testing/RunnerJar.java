package ai.dstack.shim.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** The real runner's self-contained jar, built by module runner. */
public final class RunnerJar {
  private RunnerJar() {}

  /** The jar; fails with how to build it when it is missing. */
  public static Path require() {
    String configured = System.getProperty("dstack.runner.jar", "");
    Path jar =
        configured.isEmpty()
            ? Path.of("../runner/target/dstack-runner-0.1.0-SNAPSHOT.jar")
            : Path.of(configured);
    assertTrue(
        Files.isRegularFile(jar),
        "no runner jar at "
            + jar.toAbsolutePath().normalize()
            + "; build it first: scripts/mvn -q -pl core,runner -am install -DskipTests");
    return jar.toAbsolutePath().normalize();
  }
}
