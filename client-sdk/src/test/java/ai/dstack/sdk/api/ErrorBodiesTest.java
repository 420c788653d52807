package ai.dstack.sdk.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** dstack's error bodies as the SDK reads them (the shapes of dstack-api.md §3). */
class ErrorBodiesTest {
  private static final URI URL = URI.create("http://h/api/project/main/runs/get");

  @Test
  void resourceNotExistsIsNotFound() {
    var e =
        ErrorBodies.toException(
            400,
            "{\"detail\":[{\"code\":\"resource_not_exists\",\"msg\":\"Run x not found\"}]}",
            URL);

    var notFound = assertInstanceOf(DstackException.NotFound.class, e);
    assertEquals("Run x not found", notFound.getMessage());
    assertEquals(URL, notFound.url());
  }

  @Test
  void fieldsMakeAnInvalidConfiguration() {
    var e =
        ErrorBodies.toException(
            400,
            "{\"detail\":[{\"code\":\"error\",\"msg\":\"bad gpu\",\"fields\":[[\"configuration\",\"resources\",\"gpu\"]]}]}",
            URL);

    var invalid = assertInstanceOf(DstackException.InvalidConfiguration.class, e);
    assertEquals("configuration.resources.gpu", invalid.errors().getFirst().path());
  }

  @Test
  void anyOtherCodeIsAServerErrorWithIt() {
    var e =
        ErrorBodies.toException(
            400, "{\"detail\":[{\"code\":\"resource_exists\",\"msg\":\"Resource exists\"}]}", URL);

    var error = assertInstanceOf(DstackException.ServerError.class, e);
    assertEquals("resource_exists", error.code());
    assertEquals("Resource exists", error.getMessage());
  }

  @Test
  void statusesWithoutADstackBody() {
    assertInstanceOf(
        DstackException.Unauthorized.class,
        ErrorBodies.toException(
            401, "{\"detail\":{\"msg\":\"Invalid token\",\"code\":null}}", URL));
    assertInstanceOf(DstackException.Forbidden.class, ErrorBodies.toException(403, "", URL));
    assertInstanceOf(DstackException.NotFound.class, ErrorBodies.toException(404, "nope", URL));
    var validation =
        assertInstanceOf(
            DstackException.ServerError.class,
            ErrorBodies.toException(422, "{\"detail\":[{\"loc\":[\"body\"]}]}", URL));
    assertEquals(422, validation.status());
    var internal =
        assertInstanceOf(
            DstackException.ServerError.class, ErrorBodies.toException(500, "<html>", URL));
    assertEquals("Status code 500 when requesting " + URL, internal.getMessage());
  }
}
