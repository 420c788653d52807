package ai.dstack.core.configurations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Variables listed without a value take it from the caller's environment when resolved. */
class EnvTest {

  private static Env envOf(String yaml) {
    var task = (TaskConfiguration) ConfigurationParser.parse(yaml, "task.dstack.yml");
    return task.run().env();
  }

  @Test
  void keepsNamesWithoutValuesUnresolvedUntilResolved() {
    var env = envOf("type: task\ncommands: [echo]\nenv: [A=1, HF_TOKEN, WANDB_KEY]\n");
    assertEquals(List.of("HF_TOKEN", "WANDB_KEY"), env.unresolved());
    assertEquals(new Env.Value.FromCaller("HF_TOKEN"), env.variables().get("HF_TOKEN"));

    var resolved = env.resolve(Map.of("HF_TOKEN", "hf_x", "WANDB_KEY", "w", "OTHER", "o"));
    assertEquals(Map.of("A", "1", "HF_TOKEN", "hf_x", "WANDB_KEY", "w"), resolved);
  }

  @Test
  void resolvingNamesEveryVariableTheCallerLacks() {
    var env = envOf("type: task\ncommands: [echo]\nenv: [A=1, HF_TOKEN, WANDB_KEY]\n");
    var e = assertThrows(IllegalArgumentException.class, () -> env.resolve(Map.of("A", "2")));
    assertTrue(e.getMessage().startsWith("env: HF_TOKEN, WANDB_KEY are listed without a value"));
  }

  @Test
  void resolvesAnUnresolvedValueWrittenInItsJsonForm() {
    var env = envOf("type: task\ncommands: [echo]\nenv: {TOKEN: {key: HF_TOKEN}}\n");
    assertEquals(Map.of("TOKEN", "t"), env.resolve(Map.of("HF_TOKEN", "t")));
  }

  @Test
  void resolvesNothingWhenEveryValueIsWritten() {
    var env = envOf("type: task\ncommands: [echo]\nenv: {A: 1, B: x}\n");
    assertEquals(List.of(), env.unresolved());
    assertEquals(Map.of("A", "1", "B", "x"), env.resolve(Map.of()));
  }
}
