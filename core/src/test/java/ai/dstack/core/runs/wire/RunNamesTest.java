package ai.dstack.core.runs.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RunNamesTest {

  @Test
  void namesAreAdjectiveAnimalNumberAndValidRunNames() {
    var random = new Random(1);
    for (int i = 0; i < 1000; i++) {
      var name = RunNames.generate(random, n -> false);
      assertTrue(name.matches("[a-z]+-[a-z]+-1"), name);
      assertTrue(RunSpecs.RESOURCE_NAME.matcher(name + "999").matches(), name);
    }
  }

  @Test
  void takesTheFirstFreeNumber() {
    var base = RunNames.base(new Random(5));
    var taken = Set.of(base + "-1", base + "-2", base + "-4");
    assertEquals(base + "-3", RunNames.generate(new Random(5), taken::contains));
  }

  @Test
  void wordListsHaveNoRepeatsAndOnlyLetters() {
    for (var words : java.util.List.of(RunNames.ADJECTIVES, RunNames.ANIMALS)) {
      assertEquals(words.size(), new HashSet<>(words).size());
      assertTrue(words.stream().allMatch(w -> w.matches("[a-z]{2,9}")), words.toString());
    }
    assertTrue(RunNames.ADJECTIVES.size() * RunNames.ANIMALS.size() > 5000);
  }

  @Test
  void spreadsOverTheWords() {
    var random = new Random(9);
    var seen = new HashSet<String>();
    for (int i = 0; i < 500; i++) {
      seen.add(RunNames.base(random));
    }
    assertTrue(seen.size() > 450, "names repeat too often: " + seen.size());
  }
}
