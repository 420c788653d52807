package ai.dstack.orchestrator.temporal;

import java.util.List;

/**
 * The search attributes dstack's workflows carry, so an operator finds any run in the Web UI (e.g.
 * {@code DstackProject="main" AND DstackStatus="running"}). All are Keywords.
 */
public final class SearchAttributes {
  private SearchAttributes() {}

  public static final String PROJECT = "DstackProject";
  public static final String RUN = "DstackRun";
  public static final String USER = "DstackUser";
  public static final String STATUS = "DstackStatus";
  public static final String BACKEND = "DstackBackend";
  public static final String FLEET = "DstackFleet";

  /** Every one of them. */
  public static final List<String> ALL = List.of(PROJECT, RUN, USER, STATUS, BACKEND, FLEET);
}
