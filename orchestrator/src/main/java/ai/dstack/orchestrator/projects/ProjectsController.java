package ai.dstack.orchestrator.projects;

import ai.dstack.core.api.projects.AddProjectMemberRequest;
import ai.dstack.core.api.projects.CreateProjectRequest;
import ai.dstack.core.api.projects.DeleteProjectsRequest;
import ai.dstack.core.api.projects.ListProjectsRequest;
import ai.dstack.core.api.projects.Project;
import ai.dstack.core.api.projects.RemoveProjectMemberRequest;
import ai.dstack.core.api.projects.SetProjectMembersRequest;
import ai.dstack.orchestrator.auth.Caller;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/projects}: every call a POST; {@code get} comes with an empty body. */
@RestController
@RequestMapping("/api/projects")
class ProjectsController {

  private final ProjectsService service;

  ProjectsController(ProjectsService service) {
    this.service = service;
  }

  @PostMapping("/list")
  Object list(Caller caller, @RequestBody(required = false) ListProjectsRequest request) {
    return service.list(caller, request);
  }

  @PostMapping("/create")
  Project create(Caller caller, @RequestBody CreateProjectRequest request) {
    return service.create(caller, request);
  }

  @PostMapping("/delete")
  Object delete(Caller caller, @RequestBody DeleteProjectsRequest request) {
    service.delete(caller, request.projectsNames());
    return null;
  }

  @PostMapping("/{projectName}/get")
  Project get(Caller caller, @PathVariable String projectName) {
    return service.get(caller, projectName);
  }

  @PostMapping("/{projectName}/set_members")
  Project setMembers(
      Caller caller,
      @PathVariable String projectName,
      @RequestBody SetProjectMembersRequest request) {
    return service.setMembers(caller, projectName, request.members());
  }

  @PostMapping("/{projectName}/add_members")
  Project addMembers(
      Caller caller,
      @PathVariable String projectName,
      @RequestBody AddProjectMemberRequest request) {
    return service.addMembers(caller, projectName, request.members());
  }

  @PostMapping("/{projectName}/remove_members")
  Project removeMembers(
      Caller caller,
      @PathVariable String projectName,
      @RequestBody RemoveProjectMemberRequest request) {
    return service.removeMembers(caller, projectName, request.usernames());
  }
}
