package ai.dstack.orchestrator.projects;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.core.api.users.GlobalRole;
import ai.dstack.core.api.users.ProjectRole;
import ai.dstack.orchestrator.auth.Caller;
import ai.dstack.orchestrator.persistence.Keyset;
import ai.dstack.orchestrator.persistence.SqlValues;
import ai.dstack.orchestrator.testing.ServerTest;
import ai.dstack.orchestrator.users.UserEntity;
import ai.dstack.orchestrator.users.UserRepository;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The repositories on the one schema, run on SQLite and on PostgreSQL: every column type round
 * trips, aggregates keep their members and versions, and paging is the same on both.
 */
abstract class StorageTest extends ServerTest {

  @Autowired UserRepository users;
  @Autowired ProjectRepository projects;
  @Autowired JdbcTemplate jdbc;
  @Autowired SqlValues values;

  @Test
  void aDuplicateKeyIsADuplicateKeyExceptionOnBothDatabases() {
    var insert = "INSERT INTO task_ports (task_id, port, created_at) VALUES (?, ?, ?)";
    var taskId = unique("task");
    var now = values.of(Instant.now());
    jdbc.update(insert, taskId, 20001, now);

    assertThrows(DuplicateKeyException.class, () -> jdbc.update(insert, taskId, 20002, now));
    assertThrows(
        DataIntegrityViolationException.class, () -> jdbc.update(insert, null, 20003, now));
  }

  @Test
  void aUserRoundTripsEveryColumnType() {
    Instant createdAt = Instant.parse("2026-01-02T03:04:05.678Z");
    UserEntity saved = users.save(user(unique("rt"), createdAt, null));

    UserEntity read = users.findById(saved.id()).orElseThrow();

    assertEquals(saved.id(), read.id());
    assertEquals(createdAt, read.createdAt());
    assertEquals(GlobalRole.USER, read.globalRole());
    assertTrue(read.active());
    assertNull(read.email());
    assertEquals(0L, read.version());
    assertEquals(
        read, users.findByNameIgnoreCaseAndDeletedFalse(read.name().toUpperCase()).orElseThrow());
  }

  @Test
  void aTokenNamesItsUserOnlyWhileTheUserIsActiveAndNotDeleted() {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    UserEntity saved = users.save(user(unique("tok"), now, "t@x.io"));
    UserEntity inactive = users.save(user(unique("off"), now, null, false, false));
    UserEntity deleted = users.save(user(unique("del"), now, null, true, true));

    assertEquals(
        new Caller(saved.id(), saved.name(), "t@x.io", GlobalRole.USER, "the token"),
        users.findCaller(saved.tokenHash(), "the token").orElseThrow());
    assertTrue(users.findCaller(inactive.tokenHash(), "the token").isEmpty());
    assertTrue(users.findCaller(deleted.tokenHash(), "the token").isEmpty());
    assertTrue(users.findCaller("no such hash", "the token").isEmpty());
  }

  @Test
  void aMembershipIsFoundByNameInAnyCaseWithTheUsersRole() {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    UserEntity a = users.save(user(unique("pa"), now, null));
    UserEntity b = users.save(user(unique("pb"), now, null));
    UserEntity stranger = users.save(user(unique("ps"), now, null));
    ProjectEntity saved =
        projects.save(
            project(
                unique("Mem"),
                a.id(),
                now,
                List.of(
                    new MemberEntity(b.id(), ProjectRole.USER),
                    new MemberEntity(a.id(), ProjectRole.ADMIN))));
    ProjectEntity gone =
        projects.save(
            new ProjectEntity(
                UUID.randomUUID(),
                null,
                unique("gone"),
                a.id(),
                false,
                true,
                null,
                null,
                null,
                null,
                now,
                List.of(new MemberEntity(a.id(), ProjectRole.ADMIN))));

    var ofA = projects.findMembership(saved.name().toUpperCase(), a.id()).orElseThrow();
    var ofB = projects.findMembership(saved.name().toLowerCase(), b.id()).orElseThrow();
    var ofStranger = projects.findMembership(saved.name(), stranger.id()).orElseThrow();

    assertEquals(new ProjectAccess.ProjectRef(saved.id(), saved.name(), null), ofA.project());
    assertEquals(ProjectRole.ADMIN, ofA.role());
    assertEquals(ProjectRole.USER, ofB.role());
    assertEquals(saved.id(), ofStranger.project().id());
    assertNull(ofStranger.role());
    assertTrue(projects.findMembership(gone.name(), a.id()).isEmpty());
    assertTrue(projects.findMembership(unique("none"), a.id()).isEmpty());
  }

  @Test
  void aProjectKeepsItsMembersInOrderAndRefusesAStaleWrite() {
    UserEntity a =
        users.save(user(unique("ma"), Instant.now().truncatedTo(ChronoUnit.MILLIS), null));
    UserEntity b =
        users.save(user(unique("mb"), Instant.now().truncatedTo(ChronoUnit.MILLIS), null));
    ProjectEntity saved =
        projects.save(
            project(
                unique("agg"),
                a.id(),
                Instant.now().truncatedTo(ChronoUnit.MILLIS),
                List.of(
                    new MemberEntity(b.id(), ProjectRole.USER),
                    new MemberEntity(a.id(), ProjectRole.ADMIN))));

    ProjectEntity read = projects.findById(saved.id()).orElseThrow();
    ProjectEntity changed =
        projects.save(read.withMembers(List.of(new MemberEntity(a.id(), ProjectRole.ADMIN))));

    assertEquals(
        List.of(b.id(), a.id()), read.members().stream().map(MemberEntity::userId).toList());
    assertEquals(1, projects.findById(saved.id()).orElseThrow().members().size());
    assertEquals(read.version() + 1, changed.version());
    assertEquals(
        1,
        projects
            .findByNameInAndDeletedFalse(java.util.Set.of(saved.name()))
            .getFirst()
            .members()
            .size());
    assertThrows(OptimisticLockingFailureException.class, () -> projects.save(read));
    assertEquals(
        List.of(saved.id()),
        projects.findWithMembers(List.of(a.id(), UUID.randomUUID())).stream()
            .map(ProjectEntity::id)
            .toList());
  }

  @Test
  void pagingBreaksTiesOnCreationTimeById() {
    String prefix = unique("tie").replace("-", "");
    Instant same = Instant.parse("2025-06-01T00:00:00Z");
    List<UUID> ids =
        List.of(
            users.save(user(prefix + "a", same, null)).id(),
            users.save(user(prefix + "b", same, null)).id(),
            users.save(user(prefix + "c", same.plusMillis(1), null)).id());
    UUID newest = ids.get(2);
    // Both databases order UUIDs as their text; Java's UUID.compareTo does not.
    List<UUID> tied =
        ids.subList(0, 2).stream().sorted(Comparator.comparing(UUID::toString)).toList();

    List<UUID> descending = idsOf(users.findPage(prefix, new Keyset(null, null, 10, false)));
    List<UUID> ascending = idsOf(users.findPage(prefix, new Keyset(null, null, 10, true)));
    List<UUID> afterFirstTie =
        idsOf(users.findPage(prefix, new Keyset(same, tied.get(0), 10, false)));

    assertEquals(List.of(newest, tied.get(0), tied.get(1)), descending);
    assertEquals(List.of(tied.get(1), tied.get(0), newest), ascending);
    assertEquals(List.of(tied.get(1)), afterFirstTie);
    assertEquals(3, users.countMatching(prefix));
  }

  @Test
  void projectListingFiltersByVisibilityAndMembership() {
    UserEntity owner =
        users.save(user(unique("own"), Instant.now().truncatedTo(ChronoUnit.MILLIS), null));
    UserEntity stranger =
        users.save(user(unique("str"), Instant.now().truncatedTo(ChronoUnit.MILLIS), null));
    String prefix = unique("vis").replace("-", "");
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    ProjectEntity privateOne =
        projects.save(
            project(
                prefix + "private",
                owner.id(),
                now,
                List.of(new MemberEntity(owner.id(), ProjectRole.ADMIN))));
    ProjectEntity publicOne =
        projects.save(
            new ProjectEntity(
                UUID.randomUUID(),
                null,
                prefix + "public",
                owner.id(),
                true,
                false,
                null,
                null,
                null,
                null,
                now,
                List.of()));

    List<UUID> forStranger =
        idsOfProjects(
            projects.findPage(
                new ProjectListing.Filter(stranger.id(), true, null, prefix),
                new Keyset(null, null, 10, true)));
    List<UUID> joinedOnly =
        idsOfProjects(
            projects.findPage(
                new ProjectListing.Filter(stranger.id(), false, null, prefix),
                new Keyset(null, null, 10, true)));
    List<UUID> ownersOrMembers =
        idsOfProjects(
            projects.findPage(
                new ProjectListing.Filter(null, true, owner.id(), prefix),
                new Keyset(null, null, 10, true)));

    assertEquals(List.of(publicOne.id()), forStranger);
    assertEquals(List.of(), joinedOnly);
    assertEquals(
        List.of(privateOne.id(), publicOne.id()).stream().sorted().toList(),
        ownersOrMembers.stream().sorted().toList());
    assertEquals(2, projects.countMatching(new ProjectListing.Filter(null, true, null, prefix)));
  }

  private static UserEntity user(String name, Instant createdAt, String email) {
    return user(name, createdAt, email, true, false);
  }

  private static UserEntity user(
      String name, Instant createdAt, String email, boolean active, boolean deleted) {
    return new UserEntity(
        UUID.randomUUID(),
        null,
        name,
        GlobalRole.USER,
        email,
        active,
        deleted,
        null,
        UUID.randomUUID().toString(),
        null,
        null,
        createdAt);
  }

  private static ProjectEntity project(
      String name, UUID owner, Instant createdAt, List<MemberEntity> members) {
    return new ProjectEntity(
        UUID.randomUUID(),
        null,
        name,
        owner,
        false,
        false,
        null,
        null,
        null,
        null,
        createdAt,
        members);
  }

  private static List<UUID> idsOf(List<UserEntity> page) {
    return page.stream().map(UserEntity::id).toList();
  }

  private static List<UUID> idsOfProjects(List<ProjectEntity> page) {
    return page.stream().map(ProjectEntity::id).toList();
  }
}
