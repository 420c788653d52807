package ai.dstack.core.api.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.UUID;

/**
 * An entity an event is about, dstack's {@code EventTarget}.
 *
 * @param type one of {@link EventTargetType}'s values (a newer server may send others)
 * @param projectId the project the entity belongs to, or null for users
 * @param projectName that project's name (its name before deletion if deleted), or null
 * @param isProjectDeleted whether that project is deleted, or null for users
 * @param id the entity's id
 * @param name the entity's name when the event was recorded
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record EventTarget(
    String type,
    UUID projectId,
    String projectName,
    Boolean isProjectDeleted,
    UUID id,
    String name) {}
