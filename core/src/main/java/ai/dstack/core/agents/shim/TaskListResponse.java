package ai.dstack.core.agents.shim;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/** GET /api/tasks: every task the shim knows, with its status. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TaskListResponse(List<Item> tasks) {
  public TaskListResponse {
    tasks = tasks == null ? List.of() : List.copyOf(tasks);
  }

  /** One task of the list. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record Item(String id, TaskStatus status) {}
}
