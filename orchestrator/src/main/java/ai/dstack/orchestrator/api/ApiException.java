package ai.dstack.orchestrator.api;

import ai.dstack.core.api.ErrorCode;
import ai.dstack.core.runs.wire.InvalidRunSpecException;
import ai.dstack.core.yaml.ConfigError;
import ai.dstack.core.yaml.InvalidConfigurationException;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.http.HttpStatus;

/**
 * A failure the caller caused, answered the way dstack's server answers it: a 400 with {@code
 * {"detail":[{"code","msg"}]}} (the client prints {@code msg}; {@code fields} names the request
 * fields at fault when known), or a 401, 403 or 404 with {@code {"detail":{"msg","code":null}}}.
 */
public final class ApiException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final HttpStatus status;
  private final ErrorCode code;
  private final transient List<List<String>> fields;

  private ApiException(HttpStatus status, ErrorCode code, String msg) {
    this(status, code, msg, List.of());
  }

  private ApiException(HttpStatus status, ErrorCode code, String msg, List<List<String>> fields) {
    super(msg, null, false, false);
    this.status = status;
    this.code = code;
    this.fields = List.copyOf(fields);
  }

  /** 400 {@code resource_not_exists}: the client's "not found" (never a 404 inside a project). */
  public static ApiException resourceNotExists() {
    return resourceNotExists("Resource not found");
  }

  /** 400 {@code resource_not_exists} with a message of its own. */
  public static ApiException resourceNotExists(String msg) {
    return new ApiException(HttpStatus.BAD_REQUEST, ErrorCode.RESOURCE_NOT_EXISTS, msg);
  }

  /** 400 {@code resource_exists}: a duplicate name. */
  public static ApiException resourceExists() {
    return new ApiException(HttpStatus.BAD_REQUEST, ErrorCode.RESOURCE_EXISTS, "Resource exists");
  }

  /** 400 {@code error}: any other mistake in the request; the client prints the message. */
  public static ApiException badRequest(String msg) {
    return new ApiException(HttpStatus.BAD_REQUEST, ErrorCode.ERROR, msg);
  }

  /**
   * 400 {@code error} for a configuration that does not validate: every error in the message, one a
   * line, and each error's field path (e.g. {@code resources.gpu}) in {@code fields}.
   */
  public static ApiException invalidConfiguration(InvalidConfigurationException e) {
    var fields =
        e.errors().stream()
            .map(ConfigError::path)
            .filter(path -> !path.isEmpty())
            .distinct()
            .map(path -> Arrays.asList(path.split("\\.")))
            .toList();
    return new ApiException(HttpStatus.BAD_REQUEST, ErrorCode.ERROR, e.getMessage(), fields);
  }

  /**
   * What {@code read} returns from a client's run spec; a spec it refuses is the client's 400: a
   * configuration that does not validate as {@link #invalidConfiguration}, any other mistake with
   * its message.
   */
  public static <T> T readingClientSpec(Supplier<T> read) {
    try {
      return read.get();
    } catch (InvalidConfigurationException e) {
      throw invalidConfiguration(e);
    } catch (InvalidRunSpecException e) {
      throw badRequest(e.getMessage());
    }
  }

  /** 400 with {@code code: null}, as dstack answers a version header it cannot parse. */
  public static ApiException badRequestWithoutCode(String msg) {
    return new ApiException(HttpStatus.BAD_REQUEST, null, msg);
  }

  /** 401: no token, or one that belongs to no active user. */
  public static ApiException invalidToken(String msg) {
    return new ApiException(HttpStatus.UNAUTHORIZED, null, msg);
  }

  /** 403: the caller's roles do not allow this. */
  public static ApiException forbidden() {
    return forbidden("Access denied");
  }

  /** 403 with a message of its own. */
  public static ApiException forbidden(String msg) {
    return new ApiException(HttpStatus.FORBIDDEN, null, msg);
  }

  /**
   * 404: the project in the path does not exist (dstack's answer; {@code project add} shows it).
   */
  public static ApiException projectNotFound() {
    return new ApiException(HttpStatus.NOT_FOUND, null, "Not found");
  }

  /** The HTTP status. */
  public HttpStatus status() {
    return status;
  }

  /** The code of a 400, or null. */
  public ErrorCode code() {
    return code;
  }

  /** The request fields a 400 is about, each a path of names; empty when none in particular. */
  public List<List<String>> fields() {
    return fields;
  }
}
