package ai.dstack.orchestrator.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DatabaseTest {

  private static final Path SERVER_DIR = Path.of("/srv/dstack");

  @Test
  void noUrlMeansSqliteInTheServerDir() {
    Database database = Database.resolve("", SERVER_DIR);

    assertEquals(Database.Kind.SQLITE, database.kind());
    assertEquals("jdbc:sqlite:/srv/dstack/data/sqlite.db", database.jdbcUrl());
  }

  @Test
  void dstacksPostgresUrlBecomesJdbcWithCredentialsApart() {
    Database database =
        Database.resolve("postgresql+asyncpg://dstack:p%40ss:w@db.local:6543/main", SERVER_DIR);

    assertEquals(Database.Kind.POSTGRESQL, database.kind());
    assertEquals("jdbc:postgresql://db.local:6543/main", database.jdbcUrl());
    assertEquals("dstack", database.username());
    assertEquals("p@ss:w", database.password());
    assertFalse(database.description().contains("p@ss"));
  }

  @Test
  void theDefaultPortAndQueryParametersCarryOver() {
    Database database = Database.resolve("postgresql://db/main?sslmode=require", SERVER_DIR);

    assertEquals("jdbc:postgresql://db:5432/main?sslmode=require", database.jdbcUrl());
    assertNull(database.username());
  }

  @Test
  void sqlalchemysSqliteUrlNamesTheFile() {
    assertEquals(
        "jdbc:sqlite:/var/lib/dstack.db",
        Database.resolve("sqlite+aiosqlite:////var/lib/dstack.db", SERVER_DIR).jdbcUrl());
  }

  @ParameterizedTest
  @ValueSource(strings = {"mysql://u:p@h/db", "postgresql://u:p@h", "not a url"})
  void otherUrlsAreRefusedWithoutShowingThePassword(String url) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Database.resolve(url, SERVER_DIR));
    assertFalse(e.getMessage().contains(":p@"), e.getMessage());
  }
}
