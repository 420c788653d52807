package ai.dstack.orchestrator.persistence;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import org.springframework.core.convert.converter.Converter;
import org.springframework.data.convert.ReadingConverter;
import org.springframework.data.convert.WritingConverter;
import org.springframework.data.jdbc.core.dialect.JdbcDialect;
import org.springframework.data.relational.core.dialect.AbstractDialect;
import org.springframework.data.relational.core.dialect.LimitClause;
import org.springframework.data.relational.core.dialect.LockClause;
import org.springframework.data.relational.core.sql.IdentifierProcessing;
import org.springframework.data.relational.core.sql.IdentifierProcessing.LetterCasing;
import org.springframework.data.relational.core.sql.IdentifierProcessing.Quoting;
import org.springframework.data.relational.core.sql.LockOptions;

/**
 * Spring Data JDBC has no SQLite dialect. SQLite keeps UUIDs as text, booleans as 0/1 and the
 * driver writes timestamps as epoch milliseconds, so these converters map them back.
 */
final class SqliteDialect extends AbstractDialect implements JdbcDialect {

  static final SqliteDialect INSTANCE = new SqliteDialect();

  private static final LimitClause LIMIT =
      new LimitClause() {
        @Override
        public String getLimit(long limit) {
          return "LIMIT " + limit;
        }

        @Override
        public String getOffset(long offset) {
          return "LIMIT -1 OFFSET " + offset;
        }

        @Override
        public String getLimitOffset(long limit, long offset) {
          return "LIMIT " + limit + " OFFSET " + offset;
        }

        @Override
        public Position getClausePosition() {
          return Position.AFTER_ORDER_BY;
        }
      };

  // SQLite has no row locks: a write transaction holds the database (transaction_mode=IMMEDIATE).
  private static final LockClause NO_LOCK =
      new LockClause() {
        @Override
        public String getLock(LockOptions lockOptions) {
          return "";
        }

        @Override
        public Position getClausePosition() {
          return Position.AFTER_ORDER_BY;
        }
      };

  private SqliteDialect() {}

  @Override
  public String getName() {
    return "SQLite";
  }

  @Override
  public LimitClause limit() {
    return LIMIT;
  }

  @Override
  public LockClause lock() {
    return NO_LOCK;
  }

  @Override
  public IdentifierProcessing getIdentifierProcessing() {
    return IdentifierProcessing.create(Quoting.ANSI, LetterCasing.AS_IS);
  }

  @Override
  public Collection<Object> getConverters() {
    return List.of(
        new UuidToText(), new NumberToBoolean(), new EpochMillisToInstant(), new TextToInstant());
  }

  @WritingConverter
  static final class UuidToText implements Converter<UUID, String> {
    @Override
    public String convert(UUID source) {
      return source.toString();
    }
  }

  @ReadingConverter
  static final class NumberToBoolean implements Converter<Number, Boolean> {
    @Override
    public Boolean convert(Number source) {
      return source.longValue() != 0;
    }
  }

  @ReadingConverter
  static final class EpochMillisToInstant implements Converter<Long, Instant> {
    @Override
    public Instant convert(Long source) {
      return Instant.ofEpochMilli(source);
    }
  }

  // A TEXT-affinity column hands the driver's epoch milliseconds back as text; a timestamp written
  // by hand (e.g. CURRENT_TIMESTAMP in a migration) reads back as ISO text.
  @ReadingConverter
  static final class TextToInstant implements Converter<String, Instant> {
    @Override
    public Instant convert(String source) {
      if (!source.isEmpty() && source.chars().allMatch(Character::isDigit)) {
        return Instant.ofEpochMilli(Long.parseLong(source));
      }
      String iso = source.contains("T") ? source : source.replace(' ', 'T');
      return iso.endsWith("Z") || iso.matches(".*[+-]\\d\\d:?\\d\\d$")
          ? Instant.parse(iso)
          : Instant.parse(iso + "Z");
    }
  }
}
