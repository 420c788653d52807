package ai.dstack.orchestrator.users;

import ai.dstack.orchestrator.persistence.Keyset;
import ai.dstack.orchestrator.persistence.SqlValues;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
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
  public List<UserEntity> findPage(String namePattern, Keyset keyset) {
    MapSqlParameterSource parameters = new MapSqlParameterSource();
    List<String> conditions = filters(namePattern, parameters);
    String paging = keyset.condition("u");
    if (paging != null) {
      conditions.add(paging);
      keyset.bind(parameters, values);
    }
    List<UUID> ids =
        jdbc.query(
            "SELECT u.id FROM users u WHERE "
                + String.join(" AND ", conditions)
                + keyset.orderAndLimit("u"),
            parameters,
            (rs, i) -> UUID.fromString(rs.getString(1)));
    Map<UUID, UserEntity> byId =
        aggregates.findAllById(ids, UserEntity.class).stream()
            .collect(Collectors.toMap(UserEntity::id, Function.identity()));
    return ids.stream().map(byId::get).toList();
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
