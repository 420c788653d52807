package ai.dstack.core.api.runs;

import java.util.UUID;

/**
 * The body of {@code runs/get}: the run's name or its id, exactly one of them. By name it finds the
 * latest run of that name that is not deleted; by id, deleted runs too.
 *
 * @param runName the run's name, or null
 * @param id the run's id, or null
 */
public record GetRunRequest(String runName, UUID id) {

  /** The run named {@code runName}. */
  public static GetRunRequest byName(String runName) {
    return new GetRunRequest(runName, null);
  }

  /** The run with id {@code id}. */
  public static GetRunRequest byId(UUID id) {
    return new GetRunRequest(null, id);
  }
}
