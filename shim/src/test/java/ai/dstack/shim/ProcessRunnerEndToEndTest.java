package ai.dstack.shim;

import java.io.IOException;
import java.nio.file.Files;

/** The real runner as a host process. */
class ProcessRunnerEndToEndTest extends RunnerEndToEndContract {

  @Override
  String mode() {
    return "process";
  }

  @Override
  String image() {
    return "unused-in-process-mode";
  }

  @Override
  String jobDir() throws IOException {
    return Files.createDirectories(temp.resolve("job")).toString();
  }
}
