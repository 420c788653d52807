package ai.dstack.core.api.projects;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The body of {@code projects/{name}/set_members}: the complete list of members.
 *
 * @param members every member, in order
 */
public record SetProjectMembersRequest(
    @JsonProperty(required = true) List<MemberSetting> members) {}
