/**
 * {@code /api/project/{p}/fleets} and {@code /api/project/{p}/instances}, and their global lists
 * ({@code /api/fleets/list}, {@code /api/instances/list}): the request bodies dstack 0.22.5's
 * client sends. The answers are {@link ai.dstack.core.runs.wire.Fleet} and {@link
 * ai.dstack.core.runs.wire.Instance}.
 */
package ai.dstack.core.api.fleets;
