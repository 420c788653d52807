package ai.dstack.core.api.gpus;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A range of numbers, dstack's {@code Range}: {@code {"min": 1, "max": 8}}.
 *
 * @param min the smallest
 * @param max the largest
 * @param <T> {@code Integer} for counts and sizes, {@code Double} for prices
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Range<T extends Number>(T min, T max) {}
