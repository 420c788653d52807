package ai.dstack.core.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One item of dstack's error body {@code {"detail": [{"code": ..., "msg": ..., "fields": ...}]}}:
 * the client turns a 400 with exactly one item and a known code into its typed error and prints
 * {@code msg}.
 *
 * @param code one of {@link ErrorCode}'s values, or null where dstack sends none
 * @param msg the message the client prints
 * @param fields the request fields the error is about, each a path of names (dstack's {@code
 *     ServerClientError.fields}, e.g. {@code [["resources", "gpu"]]}); left out when empty
 */
public record ErrorDetail(
    String code,
    String msg,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<List<String>> fields) {

  public ErrorDetail {
    fields = fields == null ? List.of() : List.copyOf(fields);
  }

  /** An item about no field in particular. */
  public ErrorDetail(String code, String msg) {
    this(code, msg, List.of());
  }
}
