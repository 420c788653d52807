package ai.dstack.orchestrator.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.junit.jupiter.api.Test;

class StoredValuesTest {

  private final StoredValues stored = new StoredValues();

  @Test
  void aTextIsReadOnceAndEachTextToItsOwnValue() {
    var first = stored.runSpec(spec("first", "echo 1"));
    var again = stored.runSpec(spec("first", "echo 1"));
    var second = stored.runSpec(spec("second", "echo 2"));

    assertSame(first, again);
    assertEquals("first", first.runName());
    assertEquals("second", second.runName());
    assertEquals(
        RowJson.read(spec("second", "echo 2"), com.fasterxml.jackson.databind.JsonNode.class),
        second.json());
    assertEquals(List.of(), stored.attempts("[]"));
    assertNull(stored.offer(null));
  }

  @Test
  void pastItsCapacityAKindStartsOverAndStillReadsRight() {
    var first = stored.runSpec(spec("r-0", "true"));
    for (int i = 1; i <= StoredValues.CAPACITY; i++) {
      assertEquals("r-" + i, stored.runSpec(spec("r-" + i, "true")).runName());
    }

    var reread = stored.runSpec(spec("r-0", "true"));

    assertNotSame(first, reread);
    assertEquals(first, reread);
  }

  private static String spec(String name, String command) {
    return "{\"run_name\":\""
        + name
        + "\",\"configuration\":{\"type\":\"task\",\"commands\":[\""
        + command
        + "\"]}}";
  }
}
