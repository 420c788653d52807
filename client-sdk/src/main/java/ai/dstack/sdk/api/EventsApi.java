package ai.dstack.sdk.api;

import ai.dstack.core.api.events.Event;
import ai.dstack.core.api.events.ListEventsRequest;
import java.util.List;

/** {@code /api/events}: what happened to the entities of the user's projects. */
public final class EventsApi {
  private final Transport transport;

  EventsApi(Transport transport) {
    this.transport = transport;
  }

  /**
   * {@code events/list}: a page of the events the user may see, newest first unless {@code
   * ascending}; pass the last one's {@code recorded_at} and {@code id} ({@link
   * ListEventsRequest.Builder#after}) for the next page.
   *
   * @throws DstackException.ServerError when the filters do not go together (two {@code target_*}
   *     filters, say)
   */
  public List<Event> list(ListEventsRequest request) {
    return transport.post(
        "/api/events/list",
        request == null ? ListEventsRequest.all() : request,
        Types.listOf(Event.class),
        Transport.Idempotency.IDEMPOTENT);
  }
}
