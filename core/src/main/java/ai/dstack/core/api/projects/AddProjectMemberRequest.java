package ai.dstack.core.api.projects;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The body of {@code projects/{name}/add_members}: members to add, or whose role to change.
 *
 * @param members the members to add or change
 */
public record AddProjectMemberRequest(@JsonProperty(required = true) List<MemberSetting> members) {}
