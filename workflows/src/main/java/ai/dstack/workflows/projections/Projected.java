package ai.dstack.workflows.projections;

/**
 * What a projection write did.
 *
 * @param sequence the sequence of the record written
 * @param applied false when the stored record was already as new (a retried or late write)
 */
public record Projected(long sequence, boolean applied) {}
