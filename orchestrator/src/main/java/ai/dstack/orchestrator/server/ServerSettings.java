package ai.dstack.orchestrator.server;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The server's own settings, named like dstack's environment variables; their defaults live in
 * {@code application.yml}, and {@code dstack server}'s flags override them.
 *
 * @param dir {@code DSTACK_SERVER_DIR}: where the server keeps its state (default {@code
 *     ~/.dstack/server})
 * @param host {@code DSTACK_SERVER_HOST}, {@code --host}: the address to listen on
 * @param port {@code DSTACK_SERVER_PORT}, {@code --port}: the port to listen on (0: any free one)
 * @param url {@code DSTACK_SERVER_URL}: the URL clients use, when not {@code http://host:port}
 * @param admin the admin user
 * @param updateDefaultProject whether start-up writes the {@code main} project into the client's
 *     {@code ~/.dstack/config.yml}: {@code auto} when it has no default project yet, {@code yes}
 *     ({@code -y}) always, {@code no} ({@code -n}) never
 */
@ConfigurationProperties("dstack.server")
public record ServerSettings(
    Path dir,
    String host,
    int port,
    String url,
    Admin admin,
    DefaultProjectUpdate updateDefaultProject) {

  public ServerSettings {
    dir = dir.toAbsolutePath().normalize();
    admin = admin == null ? new Admin(null) : admin;
    updateDefaultProject =
        updateDefaultProject == null ? DefaultProjectUpdate.AUTO : updateDefaultProject;
  }

  /** When start-up configures the client's default project, as {@code dstack server -y/-n}. */
  public enum DefaultProjectUpdate {
    AUTO,
    YES,
    NO
  }

  /**
   * The admin user's settings.
   *
   * @param token {@code DSTACK_SERVER_ADMIN_TOKEN}, {@code --token}: the admin's token; without it
   *     the server generates one on first start and keeps it in the server dir
   */
  public record Admin(String token) {}

  /** The URL clients use, given the port the server actually listens on. */
  public String publicUrl(int actualPort) {
    if (url != null && !url.isBlank()) {
      return url.replaceAll("/+$", "");
    }
    // A wildcard address is not one a client can connect to; the loopback is.
    String shownHost = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
    return "http://"
        + (shownHost.contains(":") ? "[" + shownHost + "]" : shownHost)
        + ":"
        + actualPort;
  }
}
