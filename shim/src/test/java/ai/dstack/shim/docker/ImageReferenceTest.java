package ai.dstack.shim.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageReferenceTest {

  @ParameterizedTest
  @CsvSource({
    "ubuntu,                                   ubuntu,                            latest,   ''",
    "dstack-base:local,                        dstack-base,                       local,    ''",
    "dstackai/base:py3.12-0.9-cuda-12.1,       dstackai/base,                     py3.12-0.9-cuda-12.1, ''",
    "registry.example.com:5000/team/app,       registry.example.com:5000/team/app, latest,  registry.example.com:5000",
    "ghcr.io/org/app:1.0,                      ghcr.io/org/app,                   1.0,      ghcr.io",
    "app@sha256:0123abcd,                      app,                               sha256:0123abcd, ''",
  })
  void splitsRepositoryTagAndRegistry(
      String image, String repository, String tag, String registry) {
    ImageReference reference = ImageReference.parse(image);
    assertEquals(repository, reference.repository());
    assertEquals(tag, reference.tag());
    assertEquals(registry, reference.registry());
  }
}
