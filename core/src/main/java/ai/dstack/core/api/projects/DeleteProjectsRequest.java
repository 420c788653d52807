package ai.dstack.core.api.projects;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The body of {@code projects/delete}.
 *
 * @param projectsNames the projects to delete
 */
public record DeleteProjectsRequest(@JsonProperty(required = true) List<String> projectsNames) {}
