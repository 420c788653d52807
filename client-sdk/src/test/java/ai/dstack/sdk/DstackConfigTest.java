package ai.dstack.sdk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.sdk.api.DstackException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ~/.dstack/config.yml} and dstack's variables, picked as dstack's CLI picks them. */
class DstackConfigTest {
  @TempDir Path dir;

  private static final String TWO_PROJECTS =
      """
      projects:
      - default: false
        name: other
        token: t-other
        url: http://other:3000
      - default: true
        name: main
        token: t-main
        url: http://127.0.0.1:3000/
      repos: []
      """;

  private DstackConfig config() throws Exception {
    Path file = dir.resolve("config.yml");
    Files.writeString(file, TWO_PROJECTS);
    return DstackConfig.load(file);
  }

  @Test
  void theDefaultProjectIsUsedWithoutVariables() throws Exception {
    var target = config().resolve(null, Map.of());

    assertEquals("main", target.name());
    assertEquals("t-main", target.token());
  }

  @Test
  void dstackProjectPicksAConfiguredProject() throws Exception {
    var target = config().resolve(null, Map.of("DSTACK_PROJECT", "other"));

    assertEquals("http://other:3000", target.url());
    assertEquals("t-other", target.token());
  }

  @Test
  void anExplicitProjectWinsOverDstackProject() throws Exception {
    assertEquals("main", config().resolve("main", Map.of("DSTACK_PROJECT", "other")).name());
  }

  @Test
  void dstackTokenAloneOverridesTheConfiguredToken() throws Exception {
    var target = config().resolve(null, Map.of("DSTACK_TOKEN", "t-env"));

    assertEquals("http://127.0.0.1:3000/", target.url());
    assertEquals("t-env", target.token());
  }

  @Test
  void serverUrlTokenAndProjectBypassTheFile() {
    var target =
        DstackConfig.empty()
            .resolve(
                null,
                Map.of(
                    "DSTACK_SERVER_URL",
                    "http://env:1",
                    "DSTACK_TOKEN",
                    "t",
                    "DSTACK_PROJECT",
                    "p"));

    assertEquals(new ProjectConfig("p", "http://env:1", "t", false), target);
  }

  @Test
  void serverUrlAndTokenNeedAProject() {
    var e =
        assertThrows(
            DstackException.NotConfigured.class,
            () ->
                DstackConfig.empty()
                    .resolve(
                        null, Map.of("DSTACK_SERVER_URL", "http://env:1", "DSTACK_TOKEN", "t")));
    assertTrue(e.getMessage().contains("DSTACK_PROJECT"), e.getMessage());
  }

  @Test
  void serverUrlWithoutATokenIsNotConfigured() {
    var e =
        assertThrows(
            DstackException.NotConfigured.class,
            () -> DstackConfig.empty().resolve(null, Map.of("DSTACK_SERVER_URL", "http://env:1")));
    assertTrue(e.getMessage().contains("DSTACK_TOKEN is not set"), e.getMessage());
  }

  @Test
  void anUnknownOrMissingProjectIsNotConfigured() throws Exception {
    assertThrows(DstackException.NotConfigured.class, () -> config().resolve("nope", Map.of()));
    var none =
        assertThrows(
            DstackException.NotConfigured.class,
            () -> DstackConfig.load(dir.resolve("missing.yml")).resolve(null, Map.of()));
    assertTrue(none.getMessage().contains("No default project"), none.getMessage());
  }

  @Test
  void addingProjectsFollowsDstackProjectAdd() {
    var first = DstackConfig.empty().withProject("a", "http://a", "ta", false);
    assertTrue(first.project("a").orElseThrow().isDefault(), "the only project is the default");

    var second = first.withProject("b", "http://b", "tb", false);
    assertEquals("a", second.defaultProject().orElseThrow().name());

    var third = second.withProject("b", "http://b2", "tb2", true);
    assertEquals("b", third.defaultProject().orElseThrow().name());
    assertFalse(third.project("a").orElseThrow().isDefault());
    assertEquals("http://b2", third.project("b").orElseThrow().url());

    assertEquals("a", third.withDefault("a").defaultProject().orElseThrow().name());
    assertEquals(1, third.withoutProject("a").projects().size());
  }

  @Test
  void savedConfigReadsBackInDstacksFormat() throws Exception {
    Path file = dir.resolve("nested/config.yml");
    var config =
        DstackConfig.empty()
            .withProject("main", "http://127.0.0.1:3000", "0b8c: tricky", true)
            .withProject("two", "http://h:1", "t2", false);

    config.save(file);

    assertEquals(config.projects(), DstackConfig.load(file).projects());
    String text = Files.readString(file);
    assertTrue(text.startsWith("projects:\n- default: true\n  name: main\n"), text);
  }

  @Test
  void aProjectWithoutATokenIsNotConfigured() throws Exception {
    Path file = dir.resolve("config.yml");
    Files.writeString(file, "projects:\n- name: main\n  url: http://h\n");

    assertThrows(DstackException.NotConfigured.class, () -> DstackConfig.load(file));
  }
}
