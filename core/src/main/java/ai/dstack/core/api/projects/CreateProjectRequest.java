package ai.dstack.core.api.projects;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The body of {@code projects/create}.
 *
 * @param projectName {@code [a-zA-Z0-9-_]{1,50}}
 * @param isPublic whether every user may see and join it (default false)
 * @param templatesRepo optional git repository of run templates
 */
public record CreateProjectRequest(
    @JsonProperty(required = true) String projectName, Boolean isPublic, String templatesRepo) {}
