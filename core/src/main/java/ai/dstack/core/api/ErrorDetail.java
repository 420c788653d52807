package ai.dstack.core.api;

/**
 * One item of dstack's error body {@code {"detail": [{"code": ..., "msg": ...}]}}: the client turns
 * a 400 with exactly one item and a known code into its typed error and prints {@code msg}.
 *
 * @param code one of {@link ErrorCode}'s values, or null where dstack sends none
 * @param msg the message the client prints
 */
public record ErrorDetail(String code, String msg) {}
