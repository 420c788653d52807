package ai.dstack.orchestrator.temporal;

import ai.dstack.workflows.DstackSearchAttributes;
import io.temporal.common.SearchAttributeKey;
import java.util.List;

/**
 * The names of the search attributes the workflows set ({@link DstackSearchAttributes}), all
 * Keyword, which the server registers with its namespace.
 */
public final class SearchAttributes {
  private SearchAttributes() {}

  /** Every one of them. */
  public static final List<String> ALL =
      DstackSearchAttributes.ALL.stream().map(SearchAttributeKey::getName).toList();
}
