package ai.dstack.orchestrator.persistence;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.data.jdbc.core.JdbcAggregateOperations;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcOperations;

/** Reads one keyset page of aggregates: their ids by SQL, then the aggregates in that order. */
public final class KeysetPages {
  private KeysetPages() {}

  /**
   * The page of {@code type} rows of {@code table} (aliased {@code alias}) that match the
   * conditions, in the keyset's order.
   */
  public static <T> List<T> find(
      NamedParameterJdbcOperations jdbc,
      JdbcAggregateOperations aggregates,
      SqlValues values,
      String table,
      String alias,
      List<String> conditions,
      MapSqlParameterSource parameters,
      Keyset keyset,
      Class<T> type,
      Function<T, UUID> id) {
    var all = new ArrayList<>(conditions);
    String paging = keyset.condition(alias);
    if (paging != null) {
      all.add(paging);
      keyset.bind(parameters, values);
    }
    List<UUID> ids =
        jdbc.query(
            "SELECT "
                + alias
                + ".id FROM "
                + table
                + " "
                + alias
                + " WHERE "
                + String.join(" AND ", all)
                + keyset.orderAndLimit(alias),
            parameters,
            (rs, i) -> UUID.fromString(rs.getString(1)));
    Map<UUID, T> byId =
        aggregates.findAllById(ids, type).stream()
            .collect(Collectors.toMap(id, Function.identity()));
    return ids.stream().map(byId::get).toList();
  }
}
