package ai.dstack.core.api.runs;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The body of {@code runs/delete}: finished runs only; an active run is a 400.
 *
 * @param runsNames the runs to delete
 */
public record DeleteRunsRequest(@JsonProperty(required = true) List<String> runsNames) {}
