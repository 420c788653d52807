package ai.dstack.orchestrator.server;

import ai.dstack.core.api.server.ServerInfo;
import ai.dstack.orchestrator.api.ClientVersion;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/server/get_info} and dstack's {@code /healthcheck}; neither needs a token. */
@RestController
class ServerController {

  @PostMapping("/api/server/get_info")
  ServerInfo getInfo() {
    return new ServerInfo(ClientVersion.SERVER_VERSION);
  }

  @GetMapping("/healthcheck")
  Map<String, String> healthcheck() {
    return Map.of("status", "running");
  }
}
