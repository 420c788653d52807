package ai.dstack.core.api.runs;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The body of {@code runs/stop}; stopping a finished run does nothing.
 *
 * @param runsNames the runs to stop
 * @param abort end them at once, without a graceful stop
 */
public record StopRunsRequest(
    @JsonProperty(required = true) List<String> runsNames, boolean abort) {}
