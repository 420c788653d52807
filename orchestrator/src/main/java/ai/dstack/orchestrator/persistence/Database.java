package ai.dstack.orchestrator.persistence;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The database the server connects to, resolved from {@code DSTACK_DATABASE_URL} and the server
 * dir.
 *
 * @param kind SQLite or PostgreSQL
 * @param jdbcUrl the JDBC URL, without credentials
 * @param username PostgreSQL user, or null
 * @param password PostgreSQL password, or null
 * @param description what start-up prints: the file, or the host and database (never the password)
 */
public record Database(
    Kind kind, String jdbcUrl, String username, String password, String description) {

  /** The two databases the schema is tested on. */
  public enum Kind {
    SQLITE,
    POSTGRESQL
  }

  /** SQLite in {@code <serverDir>/data/sqlite.db}, as dstack keeps it. */
  public static Database sqliteIn(Path serverDir) {
    return sqliteAt(serverDir.resolve("data").resolve("sqlite.db"));
  }

  /** SQLite in the given file. */
  public static Database sqliteAt(Path file) {
    Path absolute = file.toAbsolutePath().normalize();
    return new Database(Kind.SQLITE, "jdbc:sqlite:" + absolute, null, null, "SQLite " + absolute);
  }

  /**
   * The database {@code DSTACK_DATABASE_URL} names, or SQLite under the server dir when it is
   * empty.
   *
   * @throws IllegalArgumentException for a URL that names neither PostgreSQL nor SQLite
   */
  public static Database resolve(String url, Path serverDir) {
    if (url == null || url.isBlank()) {
      return sqliteIn(serverDir);
    }
    String trimmed = url.trim();
    if (trimmed.startsWith("jdbc:postgresql:")) {
      return new Database(Kind.POSTGRESQL, trimmed, null, null, "PostgreSQL " + trimmed);
    }
    if (trimmed.startsWith("jdbc:sqlite:")) {
      return sqliteAt(Path.of(trimmed.substring("jdbc:sqlite:".length())));
    }
    int colon = trimmed.indexOf("://");
    if (colon < 0) {
      throw new IllegalArgumentException(unsupported(url));
    }
    String scheme = trimmed.substring(0, colon);
    String dialect = scheme.contains("+") ? scheme.substring(0, scheme.indexOf('+')) : scheme;
    return switch (dialect) {
      case "postgresql", "postgres" ->
          postgres(URI.create("postgresql" + trimmed.substring(colon)));
      // sqlite:///relative/or/absolute (SQLAlchemy's form): the path follows the third slash.
      case "sqlite" -> sqliteAt(Path.of(trimmed.substring(colon + 3).replaceFirst("^/", "")));
      default -> throw new IllegalArgumentException(unsupported(url));
    };
  }

  private static Database postgres(URI uri) {
    if (uri.getHost() == null || uri.getPath() == null || uri.getPath().length() < 2) {
      throw new IllegalArgumentException(
          "DSTACK_DATABASE_URL must name a host and a database, e.g."
              + " postgresql://user:password@localhost:5432/dstack");
    }
    String username = null;
    String password = null;
    if (uri.getRawUserInfo() != null) {
      String[] parts = uri.getRawUserInfo().split(":", 2);
      username = decode(parts[0]);
      password = parts.length > 1 ? decode(parts[1]) : null;
    }
    int port = uri.getPort() > 0 ? uri.getPort() : 5432;
    String hostAndDb = uri.getHost() + ":" + port + uri.getPath();
    String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
    return new Database(
        Kind.POSTGRESQL,
        "jdbc:postgresql://" + hostAndDb + query,
        username,
        password,
        "PostgreSQL " + hostAndDb);
  }

  private static String decode(String part) {
    return URLDecoder.decode(part, StandardCharsets.UTF_8);
  }

  private static String unsupported(String url) {
    return "DSTACK_DATABASE_URL "
        + url.replaceAll("//[^@/]*@", "//***@")
        + " is neither PostgreSQL (postgresql://user:password@host:port/database) nor SQLite";
  }
}
