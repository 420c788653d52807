package ai.dstack.core.api.fleets;

/**
 * The body of {@code fleets/list} in a project; optional.
 *
 * @param includeImported also fleets other projects export to this one (default false)
 */
public record ListProjectFleetsRequest(Boolean includeImported) {}
