package ai.dstack.orchestrator.persistence;

import ai.dstack.orchestrator.server.ServerSettings;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.sql.DataSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.jdbc.core.dialect.JdbcDialect;
import org.springframework.data.jdbc.core.dialect.JdbcPostgresDialect;

/** The data source and the Spring Data JDBC dialect for the database the settings name. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DatabaseSettings.class)
class PersistenceConfig {

  // dstack's DSTACK_DB_POOL_SIZE default; SQLite has one writer anyway.
  private static final int POSTGRES_POOL_SIZE = 20;
  private static final int SQLITE_POOL_SIZE = 4;
  // How long a write waits for SQLite's one write lock before the request fails.
  private static final Duration SQLITE_BUSY_TIMEOUT = Duration.ofSeconds(30);

  @Bean
  Database database(DatabaseSettings settings, ServerSettings server) {
    return Database.resolve(settings.url(), server.dir());
  }

  @Bean(destroyMethod = "close")
  DataSource dataSource(Database database) {
    return switch (database.kind()) {
      case SQLITE -> {
        createParentDir(Path.of(database.jdbcUrl().substring("jdbc:sqlite:".length())));
        yield sqlite(database.jdbcUrl(), SQLITE_BUSY_TIMEOUT);
      }
      case POSTGRESQL -> {
        HikariConfig config = pool(database.jdbcUrl(), POSTGRES_POOL_SIZE);
        config.setMinimumIdle(2);
        if (database.username() != null) {
          config.setUsername(database.username());
        }
        if (database.password() != null) {
          config.setPassword(database.password());
        }
        yield new HikariDataSource(config);
      }
    };
  }

  /**
   * The SQLite pool: WAL lets readers run beside the writer; IMMEDIATE takes the write lock at
   * BEGIN, so two transactions never deadlock upgrading a read lock, and a write waits up to {@code
   * busyTimeout} for it (in Java, parked, behind the writers before it); read-only transactions
   * begin DEFERRED ({@link SqliteTransactions}).
   */
  static SqliteTransactions sqlite(String jdbcUrl, Duration busyTimeout) {
    HikariConfig config = pool(jdbcUrl, SQLITE_POOL_SIZE);
    config.addDataSourceProperty("journal_mode", "WAL");
    config.addDataSourceProperty("synchronous", "NORMAL");
    config.addDataSourceProperty("busy_timeout", Long.toString(busyTimeout.toMillis()));
    config.addDataSourceProperty("foreign_keys", "true");
    config.addDataSourceProperty("transaction_mode", "IMMEDIATE");
    return new SqliteTransactions(new HikariDataSource(config), busyTimeout);
  }

  private static HikariConfig pool(String jdbcUrl, int size) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("dstack");
    config.setJdbcUrl(jdbcUrl);
    config.setMaximumPoolSize(size);
    return config;
  }

  @Bean
  JdbcDialect jdbcDialect(Database database) {
    return switch (database.kind()) {
      case SQLITE -> SqliteDialect.INSTANCE;
      case POSTGRESQL -> JdbcPostgresDialect.INSTANCE;
    };
  }

  private static void createParentDir(Path file) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the directory of " + file, e);
    }
  }
}
