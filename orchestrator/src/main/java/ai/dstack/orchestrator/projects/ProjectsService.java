package ai.dstack.orchestrator.projects;

import ai.dstack.core.api.projects.CreateProjectRequest;
import ai.dstack.core.api.projects.ListProjectsRequest;
import ai.dstack.core.api.projects.Member;
import ai.dstack.core.api.projects.MemberPermissions;
import ai.dstack.core.api.projects.MemberSetting;
import ai.dstack.core.api.projects.Project;
import ai.dstack.core.api.projects.ProjectsInfoList;
import ai.dstack.core.api.users.GlobalRole;
import ai.dstack.core.api.users.ProjectRole;
import ai.dstack.orchestrator.api.ApiException;
import ai.dstack.orchestrator.auth.Caller;
import ai.dstack.orchestrator.events.Events;
import ai.dstack.orchestrator.persistence.Keyset;
import ai.dstack.orchestrator.users.SshKeyPair;
import ai.dstack.orchestrator.users.UserEntity;
import ai.dstack.orchestrator.users.UserEvents;
import ai.dstack.orchestrator.users.UserRepository;
import ai.dstack.orchestrator.users.UsersService;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionOperations;

/** dstack's projects: who may see, create, delete a project and change its members. */
@Service
@EnableConfigurationProperties(ProjectQuotaSettings.class)
public class ProjectsService {

  /** The project the server creates on first start, owned by the admin. */
  public static final String DEFAULT_PROJECT_NAME = "main";

  private static final Pattern PROJECT_NAME = Pattern.compile("^[a-zA-Z0-9-_]{1,50}$");
  private static final Pattern NAME_PATTERN = Pattern.compile("^[a-zA-Z0-9-_]*$");
  private static final int MAX_LIMIT = 2000;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final ProjectRepository projects;
  private final UserRepository users;
  private final TransactionOperations transactions;
  private final ProjectQuotaSettings quota;
  private final Events events;
  private final ApplicationEventPublisher publisher;
  private final Clock clock;

  ProjectsService(
      ProjectRepository projects,
      UserRepository users,
      TransactionOperations transactions,
      ProjectQuotaSettings quota,
      Events events,
      ApplicationEventPublisher publisher,
      Clock clock) {
    this.projects = projects;
    this.users = users;
    this.transactions = transactions;
    this.quota = quota;
    this.events = events;
    this.publisher = publisher;
    this.clock = clock;
  }

  /**
   * {@code projects/list}: every project for a global admin; for anyone else the projects they are
   * a member of, and public ones unless {@code include_not_joined} is false. Members are listed
   * only with a {@code username} filter, and then only that user's membership.
   */
  public Object list(Caller caller, ListProjectsRequest request) {
    ListProjectsRequest r = request == null ? ListProjectsRequest.defaults() : request;
    if (r.namePattern() != null && !NAME_PATTERN.matcher(r.namePattern()).matches()) {
      throw ApiException.badRequest("name_pattern should match regex '^[a-zA-Z0-9-_]*$'");
    }
    int limit = r.limit() == null ? MAX_LIMIT : r.limit();
    if (limit < 0 || limit > MAX_LIMIT) {
      throw ApiException.badRequest("limit should be between 0 and " + MAX_LIMIT);
    }
    UUID onlyUser = null;
    if (r.username() != null) {
      Optional<UserEntity> user = users.findByNameAndDeletedFalse(r.username());
      if (user.isEmpty()) {
        return answer(r, List.of(), 0);
      }
      onlyUser = user.get().id();
    }
    ProjectListing.Filter filter =
        new ProjectListing.Filter(
            caller.isGlobalAdmin() ? null : caller.userId(),
            !Boolean.FALSE.equals(r.includeNotJoined()),
            onlyUser,
            r.namePattern());
    Keyset keyset =
        new Keyset(r.prevCreatedAt(), r.prevId(), limit, Boolean.TRUE.equals(r.ascending()));
    List<ProjectEntity> page = projects.findPage(filter, keyset);
    UUID membershipOf = onlyUser;
    Map<UUID, UserEntity> people =
        usersById(
            page.stream()
                .flatMap(
                    p ->
                        Stream.concat(
                            Stream.of(p.ownerId()),
                            membershipOf == null ? Stream.empty() : Stream.of(membershipOf)))
                .toList());
    List<Project> shown =
        page.stream()
            .map(
                p ->
                    toProject(
                        membershipOf == null
                            ? p.withMembers(List.of())
                            : p.withMembers(
                                p.members().stream()
                                    .filter(m -> m.userId().equals(membershipOf))
                                    .toList()),
                        people))
            .toList();
    long total = Boolean.TRUE.equals(r.returnTotalCount()) ? projects.countMatching(filter) : 0;
    return answer(r, shown, total);
  }

  /** {@code projects/create}: the caller becomes the project's owner and admin. */
  public Project create(Caller caller, CreateProjectRequest request) {
    if (projects.findByNameIgnoreCaseAndDeletedFalse(request.projectName()).isPresent()) {
      throw ApiException.resourceExists();
    }
    if (!caller.isGlobalAdmin()
        && projects.countByOwnerIdAndDeletedFalse(caller.userId()) >= quota.quota()) {
      throw ApiException.badRequest("User project quota exceeded");
    }
    ProjectEntity created =
        createProject(
            caller.userId(),
            request.projectName(),
            Boolean.TRUE.equals(request.isPublic()),
            request.templatesRepo());
    return toProject(created);
  }

  /**
   * Creates a project owned by {@code ownerId}, who becomes its admin; the caller checked who may.
   *
   * @throws ApiException {@code resource_exists} when the name is taken (case-insensitively)
   */
  public ProjectEntity createProject(
      UUID ownerId, String name, boolean isPublic, String templatesRepo) {
    if (name == null || !PROJECT_NAME.matcher(name).matches()) {
      throw ApiException.badRequest("Project name should match regex '^[a-zA-Z0-9-_]{1,50}$'");
    }
    SshKeyPair keys = SshKeyPair.generate(name + "@dstack");
    String repo = templatesRepo == null || templatesRepo.isBlank() ? null : templatesRepo.strip();
    ProjectEntity project =
        new ProjectEntity(
            UUID.randomUUID(),
            null,
            name,
            ownerId,
            isPublic,
            false,
            null,
            repo,
            keys.publicKey(),
            keys.privateKey(),
            clock.instant().truncatedTo(ChronoUnit.MILLIS),
            List.of(new MemberEntity(ownerId, ProjectRole.ADMIN)));
    return transactions.execute(
        tx -> {
          if (projects.findByNameIgnoreCaseAndDeletedFalse(name).isPresent()) {
            throw ApiException.resourceExists();
          }
          var saved = projects.save(project);
          events.recordBy(
              ownerId, "Project created", Events.Target.project(saved.id(), saved.name()));
          publisher.publishEvent(new ProjectEvents.ProjectCreated(saved.id(), saved.name()));
          return saved;
        });
  }

  /** Whether a live project has this name (case-insensitively). */
  public boolean exists(String name) {
    return projects.findByNameIgnoreCaseAndDeletedFalse(name).isPresent();
  }

  /**
   * {@code projects/{name}/get}: for global admins, members, and anyone if the project is public.
   */
  public Project get(Caller caller, String name) {
    ProjectEntity project = find(name);
    if (!caller.isGlobalAdmin()
        && project.roleOf(caller.userId()).isEmpty()
        && !project.isPublic()) {
      throw ApiException.forbidden();
    }
    return toProject(project);
  }

  /**
   * {@code projects/delete}: global admins delete any project, project admins their own; all or
   * nothing.
   */
  public void delete(Caller caller, List<String> names) {
    transactions.executeWithoutResult(
        tx -> {
          List<ProjectEntity> found = projects.findByNameInAndDeletedFalse(new HashSet<>(names));
          if (!caller.isGlobalAdmin()) {
            Map<String, ProjectEntity> byName =
                found.stream().collect(Collectors.toMap(ProjectEntity::name, Function.identity()));
            for (String name : names) {
              ProjectEntity project = byName.get(name);
              if (project == null
                  || !(project.ownerId().equals(caller.userId())
                      || project.roleOf(caller.userId()).orElse(null) == ProjectRole.ADMIN)) {
                throw ApiException.forbidden();
              }
            }
          }
          if (found.size() != new HashSet<>(names).size()) {
            throw ApiException.badRequest("Failed to delete non-existent projects");
          }
          String stamp = Long.toString(clock.instant().getEpochSecond());
          for (ProjectEntity project : found) {
            events.recordBy(
                caller.userId(),
                "Project deleted",
                Events.Target.project(project.id(), project.name()));
            byte[] suffix = new byte[8];
            RANDOM.nextBytes(suffix);
            projects.save(
                project.asDeleted("_deleted_" + stamp + "_" + HexFormat.of().formatHex(suffix)));
          }
        });
  }

  /**
   * {@code projects/{name}/set_members}: replaces every member (project admins and managers; a
   * manager cannot change who the admins are). Names that match no user are skipped, as in dstack.
   */
  public Project setMembers(Caller caller, String name, List<MemberSetting> members) {
    return transactions.execute(
        tx -> {
          ProjectEntity project = find(name);
          ProjectRole callerRole = project.roleOf(caller.userId()).orElse(null);
          if (!caller.isGlobalAdmin() && (callerRole == null || !callerRole.managesMembers())) {
            throw ApiException.forbidden();
          }
          requireDistinct(members);
          Map<String, UserEntity> byNameOrEmail =
              usersByNameOrEmail(members.stream().map(MemberSetting::username).toList());
          if (!caller.isGlobalAdmin() && callerRole == ProjectRole.MANAGER) {
            Set<UUID> currentAdmins = admins(project.members());
            Set<UUID> newAdmins = new HashSet<>();
            for (MemberSetting m : members) {
              UserEntity user = byNameOrEmail.get(m.username());
              if (m.projectRole() == ProjectRole.ADMIN) {
                newAdmins.add(user == null ? null : user.id());
              }
            }
            if (!newAdmins.equals(currentAdmins)) {
              throw ApiException.forbidden("Access denied: changing project admins");
            }
          }
          List<MemberEntity> updated = new ArrayList<>();
          Set<UUID> seen = new HashSet<>();
          for (MemberSetting m : members) {
            UserEntity user = byNameOrEmail.get(m.username());
            if (user != null && seen.add(user.id())) {
              updated.add(new MemberEntity(user.id(), m.projectRole()));
            }
          }
          return toProject(projects.save(project.withMembers(updated)));
        });
  }

  /**
   * {@code projects/{name}/add_members}: adds members or changes their roles (project admins and
   * managers; only global admins add admins); anyone may join a public project as a user.
   */
  public Project addMembers(Caller caller, String name, List<MemberSetting> members) {
    return transactions.execute(
        tx -> {
          ProjectEntity project = find(name);
          ProjectRole callerRole = project.roleOf(caller.userId()).orElse(null);
          if (!caller.isGlobalAdmin()
              && (callerRole == null || !callerRole.managesMembers())
              && !project.isPublic()) {
            throw ApiException.forbidden();
          }
          requireDistinct(members);
          boolean selfJoin =
              members.size() == 1
                  && project.isPublic()
                  && callerRole == null
                  && caller.isNamed(members.getFirst().username());
          if (selfJoin) {
            if (members.getFirst().projectRole() != ProjectRole.USER) {
              throw ApiException.forbidden(
                  "Access denied: can only join public projects as user role");
            }
          } else if (!caller.isGlobalAdmin()) {
            if (callerRole == null || !callerRole.managesMembers()) {
              throw ApiException.forbidden(
                  "Access denied: insufficient permissions to add members");
            }
            if (callerRole == ProjectRole.MANAGER
                && members.stream().anyMatch(m -> m.projectRole() == ProjectRole.ADMIN)) {
              throw ApiException.forbidden(
                  "Access denied: only global admins can add project admins");
            }
          }
          Map<String, UserEntity> byNameOrEmail =
              usersByNameOrEmail(members.stream().map(MemberSetting::username).toList());
          Map<UUID, MemberEntity> current = new LinkedHashMap<>();
          project.members().forEach(m -> current.put(m.userId(), m));
          for (MemberSetting m : members) {
            UserEntity user = byNameOrEmail.get(m.username());
            if (user == null) {
              throw ApiException.badRequest("User not found: " + m.username());
            }
            current.put(user.id(), new MemberEntity(user.id(), m.projectRole()));
          }
          return toProject(projects.save(project.withMembers(new ArrayList<>(current.values()))));
        });
  }

  /**
   * {@code projects/{name}/remove_members}: project admins and managers remove members (only global
   * admins remove admins); any member may leave, unless they are the last admin.
   */
  public Project removeMembers(Caller caller, String name, List<String> usernames) {
    return transactions.execute(
        tx -> {
          ProjectEntity project = find(name);
          ProjectRole callerRole = project.roleOf(caller.userId()).orElse(null);
          if (!caller.isGlobalAdmin() && callerRole == null) {
            throw ApiException.forbidden();
          }
          boolean selfLeave =
              usernames.size() == 1 && callerRole != null && caller.isNamed(usernames.getFirst());
          if (!selfLeave
              && !caller.isGlobalAdmin()
              && (callerRole == null || !callerRole.managesMembers())) {
            throw ApiException.forbidden(
                "Access denied: insufficient permissions to remove members");
          }
          Map<String, UserEntity> byNameOrEmail = usersByNameOrEmail(usernames);
          Map<UUID, MemberEntity> current = new LinkedHashMap<>();
          project.members().forEach(m -> current.put(m.userId(), m));
          long admins = admins(project.members()).size();
          int adminRemovals = 0;
          Set<UUID> removed = new HashSet<>();
          for (String username : usernames) {
            UserEntity user = byNameOrEmail.get(username);
            if (user == null) {
              throw ApiException.badRequest("User not found: " + username);
            }
            MemberEntity member = current.get(user.id());
            if (member == null) {
              throw ApiException.badRequest("User is not a member of this project: " + username);
            }
            if (member.projectRole() == ProjectRole.ADMIN) {
              if (selfLeave) {
                if (admins <= 1) {
                  throw ApiException.badRequest("Cannot leave project: you are the last admin");
                }
              } else if (!caller.isGlobalAdmin()) {
                throw ApiException.forbidden(
                    "Access denied: only global admins can remove project admins (user: "
                        + username
                        + ")");
              }
              if (removed.add(user.id())) {
                adminRemovals++;
              }
            }
            removed.add(user.id());
          }
          if (!selfLeave && adminRemovals >= admins) {
            throw ApiException.badRequest("Cannot remove all project admins");
          }
          List<MemberEntity> remaining =
              project.members().stream().filter(m -> !removed.contains(m.userId())).toList();
          return toProject(projects.save(project.withMembers(remaining)));
        });
  }

  /** Deleted users leave every project, in the transaction that deletes them. */
  @EventListener
  void onUsersDeleted(UserEvents.UsersDeleted event) {
    Set<UUID> gone = new HashSet<>(event.userIds());
    for (ProjectEntity project : projects.findWithMembers(event.userIds())) {
      projects.save(
          project.withMembers(
              project.members().stream().filter(m -> !gone.contains(m.userId())).toList()));
    }
  }

  private ProjectEntity find(String name) {
    return projects
        .findByNameIgnoreCaseAndDeletedFalse(name)
        .orElseThrow(ApiException::projectNotFound);
  }

  private Project toProject(ProjectEntity project) {
    return toProject(
        project,
        usersById(
            Stream.concat(
                    Stream.of(project.ownerId()),
                    project.members().stream().map(MemberEntity::userId))
                .toList()));
  }

  private static Project toProject(ProjectEntity project, Map<UUID, UserEntity> people) {
    List<Member> members = new ArrayList<>();
    for (MemberEntity m : project.members()) {
      UserEntity user = people.get(m.userId());
      if (user != null) {
        members.add(new Member(UsersService.toUser(user), m.projectRole(), permissions(user, m)));
      }
    }
    return new Project(
        project.id(),
        project.name(),
        UsersService.toUser(people.get(project.ownerId())),
        project.createdAt(),
        List.of(),
        members,
        project.isPublic(),
        project.templatesRepo());
  }

  // dstack's defaults: any member manages SSH fleets; admins alone manage secrets.
  private static MemberPermissions permissions(UserEntity user, MemberEntity member) {
    return new MemberPermissions(
        true, user.globalRole() == GlobalRole.ADMIN || member.projectRole() == ProjectRole.ADMIN);
  }

  private Map<UUID, UserEntity> usersById(Collection<UUID> ids) {
    Map<UUID, UserEntity> byId = new HashMap<>();
    users.findAllById(new HashSet<>(ids)).forEach(u -> byId.put(u.id(), u));
    return byId;
  }

  // Members are named by username or email, as in dstack; a username wins over an email.
  private Map<String, UserEntity> usersByNameOrEmail(List<String> names) {
    Map<String, UserEntity> found = new HashMap<>();
    users.findByEmailInAndDeletedFalse(new HashSet<>(names)).forEach(u -> found.put(u.email(), u));
    users.findByNameInAndDeletedFalse(new HashSet<>(names)).forEach(u -> found.put(u.name(), u));
    return found;
  }

  private static Set<UUID> admins(List<MemberEntity> members) {
    return members.stream()
        .filter(m -> m.projectRole() == ProjectRole.ADMIN)
        .map(MemberEntity::userId)
        .collect(Collectors.toSet());
  }

  private static void requireDistinct(List<MemberSetting> members) {
    if (members.stream().map(MemberSetting::username).distinct().count() != members.size()) {
      throw ApiException.badRequest("Cannot add same user multiple times");
    }
  }

  private static Object answer(ListProjectsRequest r, List<Project> page, long total) {
    return Boolean.TRUE.equals(r.returnTotalCount())
        ? new ProjectsInfoList(Math.toIntExact(total), page)
        : page;
  }
}
