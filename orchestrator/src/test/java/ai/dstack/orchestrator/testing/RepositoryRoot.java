package ai.dstack.orchestrator.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository's root, found from the test's working directory (the module dir). */
public final class RepositoryRoot {
  private RepositoryRoot() {}

  /** The directory holding {@code scripts/mvn}. */
  public static Path path() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("scripts").resolve("mvn"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("run the tests from inside the repository");
    }
    return dir;
  }
}
