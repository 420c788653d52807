package ai.dstack.runner;

import ai.dstack.core.agents.runner.UnixUser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The OS user a job runs as, looked up in {@code /etc/passwd} and {@code /etc/group} as dstack's
 * runner does.
 *
 * @param uid the user id
 * @param gid the primary group id
 * @param name the user name (the uid as text for a user with no passwd entry)
 * @param home the home dir; {@code /} when the user has none that exists
 * @param known whether the user has a passwd entry (supplementary groups come from it)
 */
record JobUser(int uid, int gid, String name, Path home, boolean known) {
  private static final Path PASSWD = Path.of("/etc/passwd");
  private static final Path GROUP = Path.of("/etc/group");

  /** The user the runner runs as. */
  static JobUser current() {
    int uid = idFromProcStatus("Uid:").orElse(-1);
    int gid = idFromProcStatus("Gid:").orElse(-1);
    Optional<String[]> entry = uid >= 0 ? passwdEntry(2, String.valueOf(uid)) : Optional.empty();
    String name = entry.map(e -> e[0]).orElse(System.getProperty("user.name"));
    Path home = entry.map(e -> Path.of(e[5])).orElse(Path.of(System.getProperty("user.home")));
    return new JobUser(uid, gid, name, existingOrRoot(home), entry.isPresent());
  }

  /** The user {@code spec} names; throws IllegalArgumentException saying why there is none. */
  static JobUser resolve(UnixUser spec) {
    if (spec.uid() == null && (spec.username() == null || spec.username().isEmpty())) {
      throw new IllegalArgumentException("the job's user has neither uid nor username");
    }
    Optional<String[]> entry =
        spec.uid() != null
            ? passwdEntry(2, String.valueOf(spec.uid()))
            : passwdEntry(0, spec.username());
    if (spec.uid() == null && entry.isEmpty()) {
      throw new IllegalArgumentException("no such user: " + spec.username());
    }
    int uid = spec.uid() != null ? spec.uid() : Integer.parseInt(entry.get()[2]);
    int gid;
    if (spec.gid() != null) {
      gid = spec.gid();
    } else if (spec.groupname() != null && !spec.groupname().isEmpty()) {
      gid =
          groupId(spec.groupname())
              .orElseThrow(
                  () -> new IllegalArgumentException("no such group: " + spec.groupname()));
    } else {
      gid = entry.map(e -> Integer.parseInt(e[3])).orElse(uid);
    }
    String name = entry.map(e -> e[0]).orElse(String.valueOf(uid));
    Path home = entry.map(e -> Path.of(e[5])).orElse(Path.of("/"));
    return new JobUser(uid, gid, name, existingOrRoot(home), entry.isPresent());
  }

  /** Whether the user is root, who may run the job as anyone. */
  boolean isRoot() {
    return uid == 0;
  }

  /** Makes this user the owner of {@code path} (a symlink itself, not its target). */
  void chown(Path path) throws IOException {
    Files.setAttribute(path, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
    Files.setAttribute(path, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
  }

  /** Makes this user the owner of {@code root} and everything under it. */
  void chownTree(Path root) throws IOException {
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : (Iterable<Path>) paths::iterator) {
        chown(path);
      }
    }
  }

  /** Creates {@code dir} and its missing parents, owned by this user. */
  void createDirectories(Path dir) throws IOException {
    Path missing = dir;
    while (missing.getParent() != null && !Files.exists(missing.getParent())) {
      missing = missing.getParent();
    }
    boolean existed = Files.isDirectory(dir);
    Files.createDirectories(dir);
    if (!existed) {
      for (Path p = dir; p != null && p.startsWith(missing); p = p.getParent()) {
        chown(p);
      }
    }
  }

  private static Path existingOrRoot(Path home) {
    return Files.isDirectory(home) ? home : Path.of("/");
  }

  private static Optional<Integer> idFromProcStatus(String key) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(key)) {
          // real, effective, saved, file system: the effective id is what counts
          return Optional.of(
              Integer.parseInt(line.substring(key.length()).strip().split("\\s+")[1]));
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or no procfs: unknown
    }
    return Optional.empty();
  }

  private static Optional<String[]> passwdEntry(int field, String value) {
    return entry(PASSWD, 7, field, value);
  }

  private static Optional<Integer> groupId(String name) {
    return entry(GROUP, 3, 0, name).map(e -> Integer.parseInt(e[2]));
  }

  private static Optional<String[]> entry(Path file, int minFields, int field, String value) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (IOException e) {
      return Optional.empty();
    }
    for (String line : lines) {
      String[] fields = line.split(":", -1);
      if (fields.length >= minFields && fields[field].equals(value)) {
        return Optional.of(fields);
      }
    }
    return Optional.empty();
  }
}
