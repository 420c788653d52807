package ai.dstack.activities.local;

import ai.dstack.core.json.Json;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Optional;

/**
 * What the state dir records of the shim it started, so that a server started after this one was
 * killed finds it: {@code shim.json} (read back), and {@code shim.pid} (the pid alone, for people
 * and scripts).
 *
 * @param pid the shim's process id
 * @param host the address it listens on
 * @param port its port
 * @param engine how it runs tasks: {@code docker} or {@code process}
 * @param home its home directory (in its command line: tells it from another process of that pid)
 * @param startedAt when it was started (ISO-8601, as the core mapper has no time types)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record ShimRecord(long pid, String host, int port, String engine, String home, String startedAt) {

  Instant started() {
    return Instant.parse(startedAt);
  }

  static final String FILE = "shim.json";
  static final String PID_FILE = "shim.pid";

  static Optional<ShimRecord> read(Path stateDir) {
    var file = stateDir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Json.MAPPER.readValue(Files.readString(file), ShimRecord.class));
    } catch (IOException e) {
      // a torn or foreign file: as if there were none; the shim it named, if any, is replaced
      return Optional.empty();
    }
  }

  void write(Path stateDir) throws IOException {
    replace(stateDir.resolve(FILE), Json.write(this));
    replace(stateDir.resolve(PID_FILE), pid + "\n");
  }

  static void delete(Path stateDir) throws IOException {
    Files.deleteIfExists(stateDir.resolve(FILE));
    Files.deleteIfExists(stateDir.resolve(PID_FILE));
  }

  private static void replace(Path file, String text) throws IOException {
    var temp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
    Files.writeString(temp, text, StandardCharsets.UTF_8);
    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
