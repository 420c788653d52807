package ai.dstack.orchestrator.testing;

import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The two server set-ups the tests run: SQLite, and PostgreSQL; each in its own temp server dir,
 * against the shared Temporal dev server, never touching {@code ~/.dstack}. Test classes that name
 * the same initializer share one Spring context.
 */
public final class ServerContexts {
  private ServerContexts() {}

  /** The admin token every test context starts with. */
  public static final String ADMIN_TOKEN = "admin-token-of-the-tests";

  /** The project quota of users who are not global admins, small enough to test. */
  public static final int PROJECT_QUOTA = 3;

  /** A server on SQLite. */
  public static final class Sqlite
      implements ApplicationContextInitializer<ConfigurableApplicationContext> {
    @Override
    public void initialize(ConfigurableApplicationContext context) {
      apply(context, Map.of());
    }
  }

  /** A server on PostgreSQL. */
  public static final class Postgres
      implements ApplicationContextInitializer<ConfigurableApplicationContext> {
    @Override
    public void initialize(ConfigurableApplicationContext context) {
      apply(context, Map.of("dstack.database.url", LocalPostgres.url()));
    }
  }

  private static void apply(ConfigurableApplicationContext context, Map<String, String> extra) {
    Map<String, String> properties = new HashMap<>(extra);
    properties.put("dstack.server.dir", TempDirs.create("dstack-server-").toString());
    properties.put("dstack.server.admin.token", ADMIN_TOKEN);
    properties.put("dstack.server.update-default-project", "no");
    properties.put("dstack.temporal.address", SharedTemporal.target());
    properties.put("dstack.temporal.namespace", SharedTemporal.newNamespace());
    properties.put("dstack.user.project.default.quota", Integer.toString(PROJECT_QUOTA));
    TestPropertyValues.of(properties).applyTo(context);
  }
}
