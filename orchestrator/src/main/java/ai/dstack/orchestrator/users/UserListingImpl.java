package ai.dstack.orchestrator.users;

import ai.dstack.core.api.users.GlobalRole;
import ai.dstack.orchestrator.auth.Caller;
import ai.dstack.orchestrator.persistence.Keyset;
import ai.dstack.orchestrator.persistence.KeysetPages;
import ai.dstack.orchestrator.persistence.SqlRows;
import ai.dstack.orchestrator.persistence.SqlValues;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.data.jdbc.core.JdbcAggregateOperations;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcOperations;

class UserListingImpl implements UserListing {

  private final NamedParameterJdbcOperations jdbc;
  private final JdbcAggregateOperations aggregates;
  private final SqlValues values;

  UserListingImpl(
      NamedParameterJdbcOperations jdbc, JdbcAggregateOperations aggregates, SqlValues values) {
    this.jdbc = jdbc;
    this.aggregates = aggregates;
    this.values = values;
  }

  @Override
  public Optional<Caller> findCaller(String tokenHash, String token) {
    return jdbc
        .query(
            "SELECT id, name, email, global_role FROM users"
                + " WHERE token_hash = :hash AND active = :yes AND deleted = :no",
            new MapSqlParameterSource()
                .addValue("hash", tokenHash)
                .addValue("yes", true)
                .addValue("no", false),
            (rs, i) ->
                new Caller(
                    SqlRows.uuid(rs, "id"),
                    rs.getString("name"),
                    rs.getString("email"),
                    GlobalRole.valueOf(rs.getString("global_role")),
                    token))
        .stream()
        .findFirst();
  }

  @Override
  public List<UserEntity> findPage(String namePattern, Keyset keyset) {
    MapSqlParameterSource parameters = new MapSqlParameterSource();
    List<String> conditions = filters(namePattern, parameters);
    return KeysetPages.find(
        jdbc,
        aggregates,
        values,
        "users",
        "u",
        conditions,
        parameters,
        keyset,
        UserEntity.class,
        UserEntity::id);
  }

  @Override
  public long countMatching(String namePattern) {
    MapSqlParameterSource parameters = new MapSqlParameterSource();
    List<String> conditions = filters(namePattern, parameters);
    Long count =
        jdbc.queryForObject(
            "SELECT COUNT(*) FROM users u WHERE " + String.join(" AND ", conditions),
            parameters,
            Long.class);
    return count == null ? 0 : count;
  }

  private List<String> filters(String namePattern, MapSqlParameterSource parameters) {
    List<String> conditions = new ArrayList<>(List.of("u.deleted = :deleted"));
    parameters.addValue("deleted", false);
    if (namePattern != null && !namePattern.isEmpty()) {
      conditions.add("LOWER(u.name) LIKE :pattern ESCAPE '/'");
      parameters.addValue("pattern", Keyset.containsPattern(namePattern));
    }
    return conditions;
  }
}
