package ai.dstack.core.api.events;

import ai.dstack.core.runs.wire.Timestamps;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Something that happened, dstack's {@code Event}: e.g. {@code Run status changed SUBMITTED ->
 * PROVISIONING} about a run.
 *
 * @param id the event's id
 * @param message what happened, in the past tense, one line
 * @param recordedAt when the server recorded it
 * @param actorUserId the user whose request caused it, or null when the server did it by itself
 * @param actorUser that user's name (before deletion, if deleted), or null
 * @param isActorUserDeleted whether that user is deleted, or null without a user
 * @param targets the entities it is about, at least one
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Event(
    UUID id,
    String message,
    @JsonSerialize(using = Timestamps.Serializer.class)
        @JsonDeserialize(using = Timestamps.Deserializer.class)
        Instant recordedAt,
    UUID actorUserId,
    String actorUser,
    Boolean isActorUserDeleted,
    List<EventTarget> targets) {

  public Event {
    targets = targets == null ? List.of() : List.copyOf(targets);
  }
}
