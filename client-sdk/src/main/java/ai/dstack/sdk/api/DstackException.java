package ai.dstack.sdk.api;

import ai.dstack.core.yaml.ConfigError;
import java.net.URI;
import java.util.List;

/**
 * Every failure the SDK reports, one sealed family, so a caller can switch over it:
 *
 * <ul>
 *   <li>{@link NotFound}: the run, fleet, secret, ... does not exist (dstack's {@code
 *       resource_not_exists}), or the project does not (a 404)
 *   <li>{@link Unauthorized}: the token is missing or belongs to no active user (401)
 *   <li>{@link Forbidden}: the token's user may not do this (403)
 *   <li>{@link InvalidConfiguration}: a configuration does not validate, with every field error
 *   <li>{@link ServerUnavailable}: nothing answers at the server's URL, or a proxy says the server
 *       is down (502, 503, 504), after the retries of the {@link RetryPolicy}
 *   <li>{@link ServerError}: any other error the server answers, with its code and message
 *   <li>{@link NotConfigured}: no server or project to talk to ({@code ~/.dstack/config.yml} and
 *       the {@code DSTACK_*} environment variables)
 * </ul>
 *
 * <p>The message is the one dstack's CLI would print.
 */
public abstract sealed class DstackException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final transient URI url;

  private DstackException(String message, int status, URI url, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.url = url;
  }

  /** The HTTP status the server answered, or 0 when it answered nothing (or was never asked). */
  public int status() {
    return status;
  }

  /** The URL of the call that failed, or null for a failure before any call. */
  public URI url() {
    return url;
  }

  /** The resource does not exist: dstack's {@code resource_not_exists}, or a 404. */
  public static final class NotFound extends DstackException {
    private static final long serialVersionUID = 1L;

    /** A not-found answer of {@code url}. */
    public NotFound(String message, int status, URI url) {
      super(message, status, url, null);
    }
  }

  /** The server does not know the token (401). */
  public static final class Unauthorized extends DstackException {
    private static final long serialVersionUID = 1L;

    /** A 401 of {@code url}. */
    public Unauthorized(String message, URI url) {
      super(message, 401, url, null);
    }
  }

  /** The token's user may not do this (403): not a member of the project, or not in this role. */
  public static final class Forbidden extends DstackException {
    private static final long serialVersionUID = 1L;

    /** A 403 of {@code url}. */
    public Forbidden(String message, URI url) {
      super(message, 403, url, null);
    }
  }

  /**
   * A configuration that does not validate. Checked in the SDK before anything is sent, where every
   * error carries the file, line, column and field path; or refused by the server, with the field
   * paths it names (no line there).
   */
  public static final class InvalidConfiguration extends DstackException {
    private static final long serialVersionUID = 1L;

    private final transient List<ConfigError> errors;

    /**
     * A configuration refused with {@code errors} (at least one).
     *
     * @param status 400 when the server refused it, 0 when the SDK did
     */
    public InvalidConfiguration(String message, List<ConfigError> errors, int status, URI url) {
      super(message, status, url, null);
      this.errors = List.copyOf(errors);
    }

    /** Every error found, each with its field path (e.g. {@code resources.gpu}). */
    public List<ConfigError> errors() {
      return errors;
    }
  }

  /**
   * Nothing answers at the server's URL (connection refused, timed out), or a proxy in front of it
   * says it is down (502, 503, 504); reported after the retries of the {@link RetryPolicy}.
   */
  public static final class ServerUnavailable extends DstackException {
    private static final long serialVersionUID = 1L;

    private final int attempts;

    /** {@code url} failed {@code attempts} times, the last time with {@code status} or cause. */
    public ServerUnavailable(String message, int status, URI url, int attempts, Throwable cause) {
      super(message, status, url, cause);
      this.attempts = attempts;
    }

    /** How many times the call was tried. */
    public int attempts() {
      return attempts;
    }
  }

  /**
   * Any other error the server answered: dstack's error body {@code {"detail": [{"code", "msg"}]}}
   * (e.g. {@code resource_exists}, or {@code error} for a request it refuses), a 422 for a body
   * that does not fit the request model, a 500, or an answer the SDK cannot read.
   */
  public static final class ServerError extends DstackException {
    private static final long serialVersionUID = 1L;

    private final String code;

    /** An error answer of {@code url}, with dstack's {@code code} (may be null). */
    public ServerError(String message, int status, String code, URI url, Throwable cause) {
      super(message, status, url, cause);
      this.code = code;
    }

    /** dstack's error code ({@link ai.dstack.core.api.ErrorCode}'s values), or null. */
    public String code() {
      return code;
    }
  }

  /** No server or project to talk to: nothing configured, or a project that is not. */
  public static final class NotConfigured extends DstackException {
    private static final long serialVersionUID = 1L;

    /** What is missing, and how to configure it. */
    public NotConfigured(String message) {
      super(message, 0, null, null);
    }
  }
}
