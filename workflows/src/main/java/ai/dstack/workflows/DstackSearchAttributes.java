package ai.dstack.workflows;

import io.temporal.common.SearchAttributeKey;
import java.util.List;

/**
 * The search attributes every dstack workflow carries (all Keyword), so the Temporal Web UI lists a
 * project's runs, a user's runs, or the runs waiting on a fleet, e.g. {@code DstackProject = "main"
 * AND DstackStatus = "submitted"}. The server registers them at start.
 */
public final class DstackSearchAttributes {
  private DstackSearchAttributes() {}

  public static final SearchAttributeKey<String> PROJECT =
      SearchAttributeKey.forKeyword("DstackProject");
  public static final SearchAttributeKey<String> RUN = SearchAttributeKey.forKeyword("DstackRun");
  public static final SearchAttributeKey<String> USER = SearchAttributeKey.forKeyword("DstackUser");

  /** The run's status on a run workflow, the submission's status on a job workflow. */
  public static final SearchAttributeKey<String> STATUS =
      SearchAttributeKey.forKeyword("DstackStatus");

  /** The backend of the instance a job got; unset while it waits. */
  public static final SearchAttributeKey<String> BACKEND =
      SearchAttributeKey.forKeyword("DstackBackend");

  public static final SearchAttributeKey<String> FLEET =
      SearchAttributeKey.forKeyword("DstackFleet");

  /** Every key, for registering them with a namespace. */
  public static final List<SearchAttributeKey<String>> ALL =
      List.of(PROJECT, RUN, USER, STATUS, BACKEND, FLEET);
}
