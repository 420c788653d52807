package ai.dstack.orchestrator.api;

import ai.dstack.core.api.ErrorDetail;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.OptimisticLockingFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.resource.NoResourceFoundException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * Turns every failure into the body dstack's client expects, so a user's mistake never shows as a
 * stack trace or a 500: {@link ApiException}s as dstack's error body, a body that does not fit the
 * request model as FastAPI's 422 (which the client pretty-prints), and anything unexpected as a
 * plain 500 whose details go to the log only.
 */
@RestControllerAdvice
class ApiExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

  @ExceptionHandler(ApiException.class)
  ResponseEntity<Map<String, Object>> apiException(ApiException e) {
    if (e.status() == HttpStatus.BAD_REQUEST) {
      String code = e.code() == null ? null : e.code().wireValue();
      return body(e.status(), List.of(new ErrorDetail(code, e.getMessage(), e.fields())));
    }
    return body(e.status(), new ErrorDetail(null, e.getMessage()));
  }

  @ExceptionHandler(HttpMessageNotReadableException.class)
  ResponseEntity<Map<String, Object>> unreadableBody(HttpMessageNotReadableException e) {
    List<Object> location = new ArrayList<>(List.of("body"));
    String type;
    String msg;
    Throwable cause = e.getMostSpecificCause();
    if (cause instanceof JacksonException jackson) {
      for (JacksonException.Reference ref : jackson.getPath()) {
        location.add(ref.getPropertyName() != null ? ref.getPropertyName() : ref.getIndex());
      }
      if (cause instanceof InvalidFormatException invalid) {
        type = "value_error";
        msg = "Input " + describe(invalid.getValue()) + " is not a valid value";
      } else if (cause instanceof MismatchedInputException mismatch
          && mismatch.getOriginalMessage().startsWith("Missing required")) {
        type = "missing";
        msg = "Field required";
        String field = between(mismatch.getOriginalMessage(), '\'');
        if (field != null) {
          location.add(field);
        }
      } else if (cause instanceof MismatchedInputException) {
        type = "type_error";
        msg = "Input has the wrong type";
      } else {
        type = "json_invalid";
        msg = "JSON decode error";
      }
    } else {
      type = "missing";
      msg = "Field required";
    }
    return unprocessable(type, location, msg);
  }

  @ExceptionHandler(WireJson.NotJson.class)
  ResponseEntity<Map<String, Object>> notJson(WireJson.NotJson e) {
    return unprocessable("json_invalid", List.of("body"), "JSON decode error");
  }

  /** FastAPI's 422: one detail with pydantic's error type, where in the body, and what is wrong. */
  private static ResponseEntity<Map<String, Object>> unprocessable(
      String type, List<Object> location, String msg) {
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("type", type);
    detail.put("loc", location);
    detail.put("msg", msg);
    return body(HttpStatus.UNPROCESSABLE_CONTENT, List.of(detail));
  }

  @ExceptionHandler(DuplicateKeyException.class)
  ResponseEntity<Map<String, Object>> duplicate(DuplicateKeyException e) {
    // Two requests raced past the service's check for the same name; the index caught it.
    return apiException(ApiException.resourceExists());
  }

  @ExceptionHandler(OptimisticLockingFailureException.class)
  ResponseEntity<Map<String, Object>> concurrentChange(OptimisticLockingFailureException e) {
    return apiException(
        ApiException.badRequest("The resource was changed by another request. Try again."));
  }

  @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
  ResponseEntity<Map<String, Object>> methodNotAllowed(HttpRequestMethodNotSupportedException e) {
    return body(HttpStatus.METHOD_NOT_ALLOWED, "Method Not Allowed");
  }

  @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
  ResponseEntity<Map<String, Object>> unsupportedMediaType(HttpMediaTypeNotSupportedException e) {
    return body(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Send the body as application/json");
  }

  @ExceptionHandler(NoResourceFoundException.class)
  ResponseEntity<Map<String, Object>> noSuchPath(NoResourceFoundException e) {
    return body(HttpStatus.NOT_FOUND, "Not Found");
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<Map<String, Object>> unexpected(Exception e) {
    if (e instanceof ErrorResponse known && known.getStatusCode().is4xxClientError()) {
      // What Spring MVC itself refuses (e.g. an Accept it cannot serve): its status, no trace.
      String reason = known.getBody().getTitle();
      return body(
          HttpStatus.valueOf(known.getStatusCode().value()),
          reason == null ? "Bad request" : reason);
    }
    log.error("Request failed", e);
    return body(HttpStatus.INTERNAL_SERVER_ERROR, "Internal server error. See the server log.");
  }

  private static ResponseEntity<Map<String, Object>> body(HttpStatus status, Object detail) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("detail", detail);
    return ResponseEntity.status(status).body(body);
  }

  private static String describe(Object value) {
    return value instanceof String s ? "'" + s + "'" : String.valueOf(value);
  }

  private static String between(String text, char quote) {
    int start = text.indexOf(quote);
    int end = start < 0 ? -1 : text.indexOf(quote, start + 1);
    return end < 0 ? null : text.substring(start + 1, end);
  }
}
