package ai.dstack.runner;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.regex.Pattern;

/** Where uploaded code and file archives wait, under the runner's home, until the job runs. */
final class Uploads {
  private static final Pattern ARCHIVE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private final Path dir;

  Uploads(Path dir) {
    this.dir = dir;
  }

  /** The uploaded code (tar archive or diff). */
  Path code() {
    return dir.resolve("code");
  }

  /** The uploaded archive {@code id}; throws {@link ApiError} for an id that is no file name. */
  Path archive(String id) {
    if (id == null || !ARCHIVE_ID.matcher(id).matches()) {
      throw ApiError.badRequest(
          "the archive's file name must be its id (letters, digits, '.', '_', '-'), not " + id);
    }
    return dir.resolve("archives").resolve(id);
  }

  /** Stores {@code content} at {@code target}, whole or not at all. */
  static void store(InputStream content, Path target) throws IOException {
    Files.createDirectories(target.getParent());
    Path partial = target.resolveSibling(target.getFileName() + ".partial");
    Files.copy(content, partial, StandardCopyOption.REPLACE_EXISTING);
    Files.move(
        partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
