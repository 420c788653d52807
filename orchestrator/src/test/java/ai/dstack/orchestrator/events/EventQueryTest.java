package ai.dstack.orchestrator.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.dstack.core.json.Json;
import ai.dstack.orchestrator.api.ApiException;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code events/list} bodies read as dstack's {@code ListEventsRequest}, or refused clearly. */
class EventQueryTest {
  private static final String ID = "9b2f3c1e-7a4d-4e2b-8c1a-2f3e4d5c6b7a";

  private static EventQuery query(String json) {
    try {
      return EventsService.query(Json.MAPPER.readTree(json), null);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void anEmptyBodyAsksForTheLatestHundredOfAll() {
    var query = EventsService.query(null, null);

    assertNull(query.target());
    assertNull(query.within());
    assertEquals(100, query.limit());
    assertEquals(false, query.ascending());
  }

  @Test
  void filtersAndPagingReadAsDstackWritesThem() {
    var query =
        query(
            "{\"target_runs\":[\""
                + ID
                + "\"],\"within_projects\":[\""
                + ID
                + "\"],\"include_target_types\":[\"run\",\"job\"],\"actors\":[null,\""
                + ID
                + "\"],\"prev_recorded_at\":\"2026-01-02T03:04:05.123456+00:00\",\"prev_id\":\""
                + ID
                + "\",\"limit\":10,\"ascending\":true}");

    assertEquals("run", query.target().type());
    assertEquals(EventQuery.Scope.PROJECT, query.within().scope());
    assertEquals(java.util.List.of("run", "job"), query.includeTargetTypes());
    assertNull(query.actors().get(0));
    assertEquals(UUID.fromString(ID), query.actors().get(1));
    assertEquals(Instant.parse("2026-01-02T03:04:05.123456Z"), query.prevRecordedAt());
    assertEquals(10, query.limit());
    assertEquals(true, query.ascending());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"target_runs\":[\""
            + ID
            + "\"],\"target_jobs\":[\""
            + ID
            + "\"]}"
            + "|At most one target_* filter can be set at a time. Got target_runs, target_jobs",
        "{\"within_runs\":[\""
            + ID
            + "\"],\"within_fleets\":[\""
            + ID
            + "\"]}"
            + "|At most one within_* filter can be set at a time. Got within_fleets, within_runs",
        "{\"target_runs\":[]}|target_runs must list 1 to 16 items (leave it out for no filter), got 0",
        "{\"target_runs\":[\"nope\"]}|target_runs: \"nope\" is not a UUID",
        "{\"include_target_types\":[\"pod\"]}|include_target_types: \"pod\" is not a target type;"
            + " use one of project, user, fleet, instance, run, job, volume, gateway,"
            + " gateway-replica, secret, preset",
        "{\"limit\":0}|limit must be from 1 to 100, got 0",
        "{\"limit\":101}|limit must be from 1 to 100, got 101",
        "{\"prev_recorded_at\":\"yesterday\"}|prev_recorded_at must be a date-time such as"
            + " 2026-01-02T03:04:05+00:00, got \"yesterday\"",
      })
  void aBodyDstackWouldRefuseIsA400SayingWhy(String body, String message) {
    var refused = assertThrows(ApiException.class, () -> query(body));

    assertEquals(400, refused.status().value());
    assertEquals(message, refused.getMessage());
  }

  @Test
  void messagesAreOneLineWithoutATrailingPeriod() {
    assertEquals(
        "Run submitted. Status: SUBMITTED",
        Events.normalized(" Run submitted. Status: SUBMITTED. "));
    assertEquals("Job created on retry", Events.normalized("Job created\non retry"));
    assertThrows(IllegalArgumentException.class, () -> Events.normalized(" . "));
  }
}
