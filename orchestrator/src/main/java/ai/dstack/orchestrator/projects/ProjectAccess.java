package ai.dstack.orchestrator.projects;

import ai.dstack.core.api.users.ProjectRole;
import ai.dstack.orchestrator.api.ApiException;
import ai.dstack.orchestrator.auth.Caller;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * Who may act in a project, for the endpoints under {@code /api/project/{project}}: as dstack,
 * global admins everywhere, otherwise the project's members; an unknown project is dstack's
 * not-found error, a project the caller is not in is 403.
 */
@Service
public class ProjectAccess {
  private final ProjectRepository projects;

  ProjectAccess(ProjectRepository projects) {
    this.projects = projects;
  }

  /**
   * A project the caller is a member of (any role).
   *
   * @return the project's id and name
   */
  public ProjectRef member(Caller caller, String projectName) {
    return withRole(caller, projectName, ProjectRole.USER);
  }

  /** A project in which the caller holds {@code minimum} or a higher role. */
  public ProjectRef withRole(Caller caller, String projectName, ProjectRole minimum) {
    var membership =
        projects
            .findMembership(projectName, caller.userId())
            .orElseThrow(ApiException::projectNotFound);
    if (!caller.isGlobalAdmin()) {
      var role = membership.role();
      // Roles are declared strongest first: admin, manager, user.
      if (role == null || role.ordinal() > minimum.ordinal()) {
        throw ApiException.forbidden();
      }
    }
    return membership.project();
  }

  /** Every project the caller is a member of; every project for a global admin. */
  public java.util.List<ProjectRef> all(Caller caller) {
    return projects.findAll().stream()
        .filter(p -> !p.deleted())
        .filter(p -> caller.isGlobalAdmin() || p.roleOf(caller.userId()).isPresent())
        .map(p -> new ProjectRef(p.id(), p.name(), p.sshPublicKey()))
        .toList();
  }

  /** Every project that is not deleted, for the server's own work (no caller). */
  public java.util.List<ProjectRef> allProjects() {
    return projects.findAll().stream()
        .filter(p -> !p.deleted())
        .map(p -> new ProjectRef(p.id(), p.name(), p.sshPublicKey()))
        .toList();
  }

  /** The project with that id, for the server's own work (no caller). */
  public java.util.Optional<ProjectRef> byId(UUID id) {
    return projects.findById(id).map(p -> new ProjectRef(p.id(), p.name(), p.sshPublicKey()));
  }

  /**
   * A project the caller may act in.
   *
   * @param id its id
   * @param name its name as stored (the request may differ in case)
   * @param sshPublicKey the project's key, put on the instances and containers it runs
   */
  public record ProjectRef(UUID id, String name, String sshPublicKey) {}
}
