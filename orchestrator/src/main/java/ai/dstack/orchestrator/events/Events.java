package ai.dstack.orchestrator.events;

import ai.dstack.core.api.events.EventTargetType;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Records events, as dstack's {@code events.emit}: a message in the past tense ({@code Run
 * submitted. Status: SUBMITTED}), who caused it (a user, or the server by itself), and the entities
 * it is about (not their parents: an instance's event names the instance, and the fleet it is in is
 * found by {@code within_fleets}). The row is written on the caller's transaction, when it has one,
 * so an event commits with the change it tells of.
 *
 * <p>Each event of this server gets a later {@code recorded_at} than the one before (a millisecond
 * apart at least), so events recorded in one go list in the order they were recorded.
 */
@Component
public class Events {
  private static final Logger log = LoggerFactory.getLogger(Events.class);

  private final EventStore store;
  private final EventSettings settings;
  private final Clock clock;
  private Instant last = Instant.EPOCH;

  Events(EventStore store, EventSettings settings, Clock clock) {
    this.store = store;
    this.settings = settings;
    this.clock = clock;
  }

  /** Records an event the server caused by itself. */
  public void record(String message, Target... targets) {
    recordBy(null, message, targets);
  }

  /**
   * Records an event caused by a user's request.
   *
   * @param actorUserId the user, or null for the server itself
   */
  public void recordBy(UUID actorUserId, String message, Target... targets) {
    if (targets.length == 0) {
      throw new IllegalArgumentException("an event needs at least one target: " + message);
    }
    String text = normalized(message);
    log.debug("Event: {} ({}) by {}", text, List.of(targets), actorUserId);
    if (!settings.recording()) {
      return;
    }
    store.insert(UUID.randomUUID(), text, nextRecordedAt(), actorUserId, List.of(targets));
  }

  /** Whether an event about the entity with this id was recorded (and not yet deleted). */
  public boolean anyAbout(UUID entityId) {
    return store.anyAbout(entityId);
  }

  /** dstack's form: one line, no trailing period. */
  static String normalized(String message) {
    String text = message.strip().replace('\n', ' ');
    while (text.endsWith(".")) {
      text = text.substring(0, text.length() - 1).stripTrailing();
    }
    if (text.isEmpty()) {
      throw new IllegalArgumentException("an event's message cannot be empty");
    }
    return text;
  }

  private synchronized Instant nextRecordedAt() {
    var now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
    last = now.isAfter(last) ? now : last.plusMillis(1);
    return last;
  }

  /**
   * An entity an event is about, as dstack's {@code events.Target}.
   *
   * @param type one of {@link EventTargetType}'s values
   * @param projectId its project; null for users only
   * @param id its id
   * @param name its name
   * @param runId the run of a run or job, else null
   * @param fleetId the fleet of a fleet or instance, else null
   */
  public record Target(
      String type, UUID projectId, UUID id, String name, UUID runId, UUID fleetId) {

    public Target {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(name, "name");
      if (type.equals(EventTargetType.USER) != (projectId == null)) {
        throw new IllegalArgumentException("only a user target has no project: " + type);
      }
    }

    public static Target project(UUID projectId, String name) {
      return new Target(EventTargetType.PROJECT, projectId, projectId, name, null, null);
    }

    public static Target user(UUID userId, String name) {
      return new Target(EventTargetType.USER, null, userId, name, null, null);
    }

    public static Target run(UUID projectId, UUID runId, String runName) {
      return new Target(EventTargetType.RUN, projectId, runId, runName, runId, null);
    }

    /**
     * A job: one submission of a job of a run, named as dstack names jobs ({@code
     * <run>-<job_num>-<replica_num>}).
     */
    public static Target job(UUID projectId, UUID runId, UUID jobId, String jobName) {
      return new Target(EventTargetType.JOB, projectId, jobId, jobName, runId, null);
    }

    public static Target fleet(UUID projectId, UUID fleetId, String name) {
      return new Target(EventTargetType.FLEET, projectId, fleetId, name, null, fleetId);
    }

    public static Target instance(UUID projectId, UUID fleetId, UUID instanceId, String name) {
      return new Target(EventTargetType.INSTANCE, projectId, instanceId, name, null, fleetId);
    }

    public static Target secret(UUID projectId, UUID secretId, String name) {
      return new Target(EventTargetType.SECRET, projectId, secretId, name, null, null);
    }
  }
}
