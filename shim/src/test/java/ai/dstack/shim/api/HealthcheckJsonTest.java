package ai.dstack.shim.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.dstack.core.agents.shim.HealthcheckResponse;
import ai.dstack.core.agents.shim.ShimApi;
import ai.dstack.core.json.Json;
import org.junit.jupiter.api.Test;

class HealthcheckJsonTest {

  @Test
  void thePrecomputedHealthcheckIsWhatJacksonWrites() {
    assertEquals(
        Json.write(new HealthcheckResponse(ShimApi.SERVICE, ShimApi.VERSION)),
        ShimHttpServer.HEALTHCHECK.json());
  }
}
