package ai.dstack.core.agents.shim;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The body of every 4xx and 5xx answer of the shim.
 *
 * @param error a short code: {@code bad_request}, {@code not_found}, {@code method_not_allowed},
 *     {@code conflict}, {@code internal_error}
 * @param message what went wrong, for people
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ErrorResponse(String error, String message) {}
