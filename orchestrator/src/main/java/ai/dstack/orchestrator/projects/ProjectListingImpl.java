package ai.dstack.orchestrator.projects;

import ai.dstack.core.api.users.ProjectRole;
import ai.dstack.orchestrator.persistence.Keyset;
import ai.dstack.orchestrator.persistence.KeysetPages;
import ai.dstack.orchestrator.persistence.SqlRows;
import ai.dstack.orchestrator.persistence.SqlValues;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.data.jdbc.core.JdbcAggregateOperations;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcOperations;

class ProjectListingImpl implements ProjectListing {

  private static final String MEMBER_OF =
      "p.id IN (SELECT m.project_id FROM members m WHERE m.user_id = ";

  private final NamedParameterJdbcOperations jdbc;
  private final JdbcAggregateOperations aggregates;
  private final SqlValues values;

  ProjectListingImpl(
      NamedParameterJdbcOperations jdbc, JdbcAggregateOperations aggregates, SqlValues values) {
    this.jdbc = jdbc;
    this.aggregates = aggregates;
    this.values = values;
  }

  @Override
  public Optional<Membership> findMembership(String name, UUID userId) {
    // A user is a member of a project at most once (members_project_user_key).
    return jdbc
        .query(
            "SELECT p.id, p.name, p.ssh_public_key, m.project_role FROM projects p"
                + " LEFT JOIN members m ON m.project_id = p.id AND m.user_id = :user"
                + " WHERE UPPER(p.name) = UPPER(:name) AND p.deleted = :no",
            new MapSqlParameterSource()
                .addValue("user", values.of(userId))
                .addValue("name", name)
                .addValue("no", false),
            (rs, i) -> {
              var role = rs.getString("project_role");
              return new Membership(
                  new ProjectAccess.ProjectRef(
                      SqlRows.uuid(rs, "id"), rs.getString("name"), rs.getString("ssh_public_key")),
                  role == null ? null : ProjectRole.valueOf(role));
            })
        .stream()
        .findFirst();
  }

  @Override
  public List<ProjectEntity> findPage(Filter filter, Keyset keyset) {
    MapSqlParameterSource parameters = new MapSqlParameterSource();
    List<String> conditions = conditions(filter, parameters);
    return KeysetPages.find(
        jdbc,
        aggregates,
        values,
        "projects",
        "p",
        conditions,
        parameters,
        keyset,
        ProjectEntity.class,
        ProjectEntity::id);
  }

  @Override
  public long countMatching(Filter filter) {
    MapSqlParameterSource parameters = new MapSqlParameterSource();
    Long count =
        jdbc.queryForObject(
            "SELECT COUNT(*) FROM projects p WHERE "
                + String.join(" AND ", conditions(filter, parameters)),
            parameters,
            Long.class);
    return count == null ? 0 : count;
  }

  private List<String> conditions(Filter filter, MapSqlParameterSource parameters) {
    List<String> conditions = new ArrayList<>(List.of("p.deleted = :no"));
    parameters.addValue("no", false);
    parameters.addValue("yes", true);
    if (filter.visibleTo() != null) {
      parameters.addValue("caller", values.of(filter.visibleTo()));
      conditions.add(
          filter.includeNotJoined()
              ? "(" + MEMBER_OF + ":caller) OR p.is_public = :yes)"
              : MEMBER_OF + ":caller)");
    }
    if (filter.ownerOrMember() != null) {
      parameters.addValue("user", values.of(filter.ownerOrMember()));
      conditions.add("(p.owner_id = :user OR " + MEMBER_OF + ":user))");
    }
    if (filter.namePattern() != null && !filter.namePattern().isEmpty()) {
      conditions.add("LOWER(p.name) LIKE :pattern ESCAPE '/'");
      parameters.addValue("pattern", Keyset.containsPattern(filter.namePattern()));
    }
    return conditions;
  }
}
