package ai.dstack.core.runs.wire;

import ai.dstack.core.configurations.RegistryAuth;
import java.util.Optional;

/**
 * Looks up an image's configuration, where dstack's server asks the image's registry: for the user
 * of a job whose configuration names an image but no user, for the command of one with an image but
 * no commands, and for the CPU architecture of its requirements.
 */
@FunctionalInterface
public interface ImageInspector {

  /** Knows no image: jobs run as the image's user, on any CPU architecture. */
  ImageInspector NONE = (image, auth) -> Optional.empty();

  /**
   * The image's configuration, or empty when it is not known.
   *
   * @param image the image name as configured
   * @param registryAuth the configured credentials, secrets filled in, or null
   */
  Optional<ImageConfig> inspect(String image, RegistryAuth registryAuth);
}
