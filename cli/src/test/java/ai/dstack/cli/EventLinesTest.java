package ai.dstack.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.dstack.core.api.events.Event;
import ai.dstack.core.api.events.EventTarget;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** An event as one line, as {@code dstack event} prints it. */
class EventLinesTest {
  private static final Instant AT = Instant.parse("2026-01-02T03:04:05.678Z");

  private static EventTarget target(String type, String project, String name) {
    return new EventTarget(type, UUID.randomUUID(), project, false, UUID.randomUUID(), name);
  }

  @Test
  void aUsersEventNamesThemAndItsTargets() {
    var event =
        new Event(
            UUID.randomUUID(),
            "Run submitted. Status: SUBMITTED",
            AT,
            UUID.randomUUID(),
            "alice",
            false,
            List.of(target("run", "main", "train")));

    assertEquals(
        "[2026-01-02 03:04:05] [👤alice] [run train] Run submitted. Status: SUBMITTED",
        new EventLines("main", ZoneOffset.UTC).line(event));
  }

  @Test
  void anotherProjectsEntityIsNamedWithItsProjectButAProjectIsNot() {
    var event =
        new Event(
            UUID.randomUUID(),
            "Job assigned to instance",
            AT,
            null,
            null,
            null,
            List.of(
                target("job", "main", "train-0-0"),
                target("instance", "shared", "gpu-0"),
                target("project", "shared", "shared")));

    assertEquals(
        "[2026-01-02 04:04:05] [job train-0-0, instance shared/gpu-0, project shared]"
            + " Job assigned to instance",
        new EventLines("main", ZoneOffset.ofHours(1)).line(event));
  }
}
