package ai.dstack.core.api.events;

import ai.dstack.core.runs.wire.Timestamps;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The body of {@code /api/events/list}, dstack's {@code ListEventsRequest}. Every filter is a list
 * of 1 to {@value #MAX_FILTER_ITEMS} ids, or null for none; at most one {@code target_*} and one
 * {@code within_*} filter may be set. Events come newest first (or oldest first with {@code
 * ascending}), a page at a time: the next page starts after {@code prev_recorded_at} and {@code
 * prev_id} of the previous page's last event.
 *
 * @param targetProjects only events about these projects
 * @param targetUsers only events about these users
 * @param targetFleets only events about these fleets
 * @param targetInstances only events about these instances
 * @param targetRuns only events about these runs
 * @param targetJobs only events about these jobs
 * @param targetVolumes only events about these volumes
 * @param targetGateways only events about these gateways
 * @param targetGatewayReplicas only events about these gateway replicas
 * @param targetSecrets only events about these secrets
 * @param targetPresets only events about these presets
 * @param withinProjects only events about these projects or anything in them
 * @param withinFleets only events about these fleets or their instances
 * @param withinRuns only events about these runs or their jobs
 * @param withinGateways only events about these gateways or their replicas
 * @param includeTargetTypes only events about an entity of one of these types
 * @param actors only events caused by these users; a null item stands for the server itself
 * @param prevRecordedAt paging: {@code recorded_at} of the previous page's last event
 * @param prevId paging: {@code id} of the previous page's last event
 * @param limit at most this many events, 1 to 100 (dstack's default 100)
 * @param ascending oldest first
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ListEventsRequest(
    List<UUID> targetProjects,
    List<UUID> targetUsers,
    List<UUID> targetFleets,
    List<UUID> targetInstances,
    List<UUID> targetRuns,
    List<UUID> targetJobs,
    List<UUID> targetVolumes,
    List<UUID> targetGateways,
    List<UUID> targetGatewayReplicas,
    List<UUID> targetSecrets,
    List<UUID> targetPresets,
    List<UUID> withinProjects,
    List<UUID> withinFleets,
    List<UUID> withinRuns,
    List<UUID> withinGateways,
    List<String> includeTargetTypes,
    List<UUID> actors,
    @JsonSerialize(using = Timestamps.Serializer.class)
        @JsonDeserialize(using = Timestamps.Deserializer.class)
        Instant prevRecordedAt,
    UUID prevId,
    Integer limit,
    Boolean ascending) {

  /** dstack's default and largest page. */
  public static final int DEFAULT_LIMIT = 100;

  /** The most items one filter may list. */
  public static final int MAX_FILTER_ITEMS = 16;

  /** No filter: the latest {@value #DEFAULT_LIMIT} events the caller may see. */
  public static ListEventsRequest all() {
    return builder().build();
  }

  /** A request to fill in. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link ListEventsRequest}; every field starts unset. */
  public static final class Builder {
    private List<UUID> targetProjects;
    private List<UUID> targetUsers;
    private List<UUID> targetFleets;
    private List<UUID> targetInstances;
    private List<UUID> targetRuns;
    private List<UUID> targetJobs;
    private List<UUID> targetVolumes;
    private List<UUID> targetGateways;
    private List<UUID> targetGatewayReplicas;
    private List<UUID> targetSecrets;
    private List<UUID> targetPresets;
    private List<UUID> withinProjects;
    private List<UUID> withinFleets;
    private List<UUID> withinRuns;
    private List<UUID> withinGateways;
    private List<String> includeTargetTypes;
    private List<UUID> actors;
    private Instant prevRecordedAt;
    private UUID prevId;
    private Integer limit;
    private Boolean ascending;

    private Builder() {}

    public Builder targetProjects(List<UUID> ids) {
      this.targetProjects = ids;
      return this;
    }

    public Builder targetUsers(List<UUID> ids) {
      this.targetUsers = ids;
      return this;
    }

    public Builder targetFleets(List<UUID> ids) {
      this.targetFleets = ids;
      return this;
    }

    public Builder targetInstances(List<UUID> ids) {
      this.targetInstances = ids;
      return this;
    }

    public Builder targetRuns(List<UUID> ids) {
      this.targetRuns = ids;
      return this;
    }

    public Builder targetJobs(List<UUID> ids) {
      this.targetJobs = ids;
      return this;
    }

    public Builder targetVolumes(List<UUID> ids) {
      this.targetVolumes = ids;
      return this;
    }

    public Builder targetGateways(List<UUID> ids) {
      this.targetGateways = ids;
      return this;
    }

    public Builder targetGatewayReplicas(List<UUID> ids) {
      this.targetGatewayReplicas = ids;
      return this;
    }

    public Builder targetSecrets(List<UUID> ids) {
      this.targetSecrets = ids;
      return this;
    }

    public Builder targetPresets(List<UUID> ids) {
      this.targetPresets = ids;
      return this;
    }

    public Builder withinProjects(List<UUID> ids) {
      this.withinProjects = ids;
      return this;
    }

    public Builder withinFleets(List<UUID> ids) {
      this.withinFleets = ids;
      return this;
    }

    public Builder withinRuns(List<UUID> ids) {
      this.withinRuns = ids;
      return this;
    }

    public Builder withinGateways(List<UUID> ids) {
      this.withinGateways = ids;
      return this;
    }

    /** Types from {@link EventTargetType}. */
    public Builder includeTargetTypes(List<String> types) {
      this.includeTargetTypes = types;
      return this;
    }

    /** User ids; a null item stands for the server itself. */
    public Builder actors(List<UUID> userIds) {
      this.actors = userIds;
      return this;
    }

    /** The page after this event (newest first: older ones; ascending: newer ones). */
    public Builder after(Instant prevRecordedAt, UUID prevId) {
      this.prevRecordedAt = prevRecordedAt;
      this.prevId = prevId;
      return this;
    }

    public Builder limit(int limit) {
      this.limit = limit;
      return this;
    }

    public Builder ascending(boolean ascending) {
      this.ascending = ascending;
      return this;
    }

    public ListEventsRequest build() {
      return new ListEventsRequest(
          targetProjects,
          targetUsers,
          targetFleets,
          targetInstances,
          targetRuns,
          targetJobs,
          targetVolumes,
          targetGateways,
          targetGatewayReplicas,
          targetSecrets,
          targetPresets,
          withinProjects,
          withinFleets,
          withinRuns,
          withinGateways,
          includeTargetTypes,
          actors,
          prevRecordedAt,
          prevId,
          limit,
          ascending);
    }
  }
}
