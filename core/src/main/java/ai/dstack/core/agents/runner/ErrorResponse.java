package ai.dstack.core.agents.runner;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The body of every 4xx and 5xx answer of an agent: what was wrong, in one sentence.
 *
 * @param message what was wrong with the request, or what failed
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ErrorResponse(String message) {}
