package ai.dstack.orchestrator.users;

import ai.dstack.orchestrator.api.ApiException;
import ai.dstack.orchestrator.auth.Caller;
import ai.dstack.orchestrator.auth.Tokens;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * Gives a controller method its {@link Caller}: the active user whose token hash matches the
 * request's {@code Authorization: Bearer} token, or a 401.
 */
class CallerResolver implements HandlerMethodArgumentResolver {

  private static final String BEARER = "bearer ";

  private final UserRepository users;

  CallerResolver(UserRepository users) {
    this.users = users;
  }

  @Override
  public boolean supportsParameter(MethodParameter parameter) {
    return parameter.getParameterType() == Caller.class;
  }

  @Override
  public Caller resolveArgument(
      MethodParameter parameter,
      ModelAndViewContainer mavContainer,
      NativeWebRequest request,
      WebDataBinderFactory binderFactory) {
    String header = request.getHeader(HttpHeaders.AUTHORIZATION);
    if (header == null
        || header.length() <= BEARER.length()
        || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      throw ApiException.invalidToken("Not authenticated");
    }
    String token = header.substring(BEARER.length()).strip();
    return users
        .findCaller(Tokens.hash(token), token)
        .orElseThrow(() -> ApiException.invalidToken("Invalid token"));
  }
}
