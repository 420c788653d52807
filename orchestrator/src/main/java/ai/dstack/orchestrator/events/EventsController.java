package ai.dstack.orchestrator.events;

import ai.dstack.orchestrator.api.WireJson;
import ai.dstack.orchestrator.auth.Caller;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** {@code POST /api/events/list}: dstack's {@code ListEventsRequest} in, a list of events out. */
@RestController
class EventsController {
  private final EventsService events;

  EventsController(EventsService events) {
    this.events = events;
  }

  @PostMapping("/api/events/list")
  ResponseEntity<byte[]> list(Caller caller, @RequestBody(required = false) String body) {
    return WireJson.ok(events.list(caller, WireJson.readBody(body)));
  }
}
