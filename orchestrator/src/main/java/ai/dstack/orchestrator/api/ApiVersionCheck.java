package ai.dstack.orchestrator.api;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * dstack's version gate, run before authentication on every {@code /api/} call: a client whose
 * {@code X-API-VERSION} is newer than the server in its major or minor version gets dstack's 400;
 * no header, {@code latest} and 0.0.0 (dev builds) skip the check.
 */
class ApiVersionCheck implements HandlerInterceptor {

  static final String HEADER = "X-API-VERSION";

  private static final ClientVersion SERVER =
      ClientVersion.parse(ClientVersion.SERVER_VERSION).orElseThrow();

  @Override
  public boolean preHandle(
      HttpServletRequest request, HttpServletResponse response, Object handler) {
    String header = request.getHeader(HEADER);
    if (header == null) {
      return true;
    }
    ClientVersion client;
    try {
      client = ClientVersion.parse(header).orElse(null);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequestWithoutCode(e.getMessage());
    }
    if (client != null && client.isIncompatibleWith(SERVER)) {
      throw ApiException.badRequest(
          "The client/CLI version ("
              + client
              + ") is incompatible with the server version ("
              + ClientVersion.SERVER_VERSION
              + ").");
    }
    return true;
  }
}
