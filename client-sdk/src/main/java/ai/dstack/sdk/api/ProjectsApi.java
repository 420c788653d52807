package ai.dstack.sdk.api;

import ai.dstack.core.api.projects.AddProjectMemberRequest;
import ai.dstack.core.api.projects.CreateProjectRequest;
import ai.dstack.core.api.projects.DeleteProjectsRequest;
import ai.dstack.core.api.projects.ListProjectsRequest;
import ai.dstack.core.api.projects.MemberSetting;
import ai.dstack.core.api.projects.Project;
import ai.dstack.core.api.projects.RemoveProjectMemberRequest;
import ai.dstack.core.api.projects.SetProjectMembersRequest;
import java.util.List;

/** {@code /api/projects}: projects and their members. */
public final class ProjectsApi {
  private final Transport transport;

  ProjectsApi(Transport transport) {
    this.transport = transport;
  }

  /**
   * {@code projects/list}: the projects the token's user may see, as a bare list ({@code
   * return_total_count} is not set here).
   */
  public List<Project> list(ListProjectsRequest request) {
    return transport.post(
        "/api/projects/list",
        request,
        Types.listOf(Project.class),
        Transport.Idempotency.IDEMPOTENT);
  }

  /** {@code projects/create}. */
  public Project create(CreateProjectRequest request) {
    return transport.post(
        "/api/projects/create", request, Types.of(Project.class), Transport.Idempotency.CHANGE);
  }

  /** {@code projects/delete}. */
  public void delete(List<String> projectNames) {
    transport.post(
        "/api/projects/delete",
        new DeleteProjectsRequest(projectNames),
        null,
        Transport.Idempotency.CHANGE);
  }

  /** {@code projects/{p}/get}, which {@code dstack project add} checks a token with. */
  public Project get(String project) {
    return transport.post(
        "/api/projects/" + encoded(project) + "/get",
        null,
        Types.of(Project.class),
        Transport.Idempotency.IDEMPOTENT);
  }

  /** {@code projects/{p}/set_members}: exactly these members. */
  public Project setMembers(String project, List<MemberSetting> members) {
    return transport.post(
        "/api/projects/" + encoded(project) + "/set_members",
        new SetProjectMembersRequest(members),
        Types.of(Project.class),
        Transport.Idempotency.CHANGE);
  }

  /** {@code projects/{p}/add_members}: adds them, or changes their roles. */
  public Project addMembers(String project, List<MemberSetting> members) {
    return transport.post(
        "/api/projects/" + encoded(project) + "/add_members",
        new AddProjectMemberRequest(members),
        Types.of(Project.class),
        Transport.Idempotency.CHANGE);
  }

  /** {@code projects/{p}/remove_members}. */
  public Project removeMembers(String project, List<String> usernames) {
    return transport.post(
        "/api/projects/" + encoded(project) + "/remove_members",
        new RemoveProjectMemberRequest(usernames),
        Types.of(Project.class),
        Transport.Idempotency.CHANGE);
  }

  private static String encoded(String project) {
    return Types.segment(project);
  }
}
