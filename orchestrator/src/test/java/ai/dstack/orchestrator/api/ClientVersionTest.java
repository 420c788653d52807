package ai.dstack.orchestrator.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ClientVersionTest {

  @ParameterizedTest(name = "{0} < {1}")
  @CsvSource({
    "0.22.5, 0.22.6",
    "0.22.5, 0.23",
    "0.22.6.dev1, 0.22.6a1",
    "0.22.6a1, 0.22.6b1",
    "0.22.6b1, 0.22.6rc1",
    "0.22.6rc1, 0.22.6",
    "0.22.6, 0.22.6.post1",
    "0.22.6.post1.dev1, 0.22.6.post1",
    "0.9.9, 0.10.0",
  })
  void ordersAsPythonPackagingDoes(String lower, String higher) {
    assertTrue(version(lower).compareTo(version(higher)) < 0);
    assertTrue(version(higher).compareTo(version(lower)) > 0);
  }

  @ParameterizedTest
  @CsvSource({"0.22, 0.22.0", "v0.22.5, 0.22.5", "0.22.5-1, 0.22.5.post1", "0.22.5RC1, 0.22.5rc1"})
  void equalVersionsCompareEqual(String a, String b) {
    assertEquals(version(a), version(b));
    assertEquals(version(a).hashCode(), version(b).hashCode());
  }

  @ParameterizedTest
  @ValueSource(strings = {"latest", "0.0.0", "0.0.0a1", "0.0.0.dev0"})
  void latestAndZeroReleasesSkipTheCheck(String text) {
    assertTrue(ClientVersion.parse(text).isEmpty());
  }

  @ParameterizedTest
  @ValueSource(strings = {"banana", "0.22.5-foo", "", "1..2"})
  void textThatIsNoVersionIsRefused(String text) {
    assertThrows(IllegalArgumentException.class, () -> ClientVersion.parse(text));
  }

  @ParameterizedTest(name = "client {0} incompatible: {1}")
  @CsvSource({
    "0.22.5, false",
    "0.22.99, false",
    "0.21.0, false",
    "0.23.0, true",
    "0.23.0.dev1, true",
    "1.0.0, true",
  })
  void dstacksRuleRefusesOnlyNewerMajorOrMinor(String client, boolean incompatible) {
    assertEquals(incompatible, version(client).isIncompatibleWith(version("0.22.5")));
  }

  private static ClientVersion version(String text) {
    return ClientVersion.parse(text).orElseThrow();
  }
}
