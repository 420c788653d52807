package ai.dstack.core.runs.wire;

import java.util.List;
import java.util.Set;

/**
 * What a job spec needs to know of an image when the configuration does not say: its {@code USER},
 * {@code ENTRYPOINT} and {@code CMD}, and the CPU architectures it is built for.
 *
 * @param user the image's user, or null for root
 * @param entrypoint the image's entrypoint, or null
 * @param cmd the image's command, or null
 * @param architectures {@code x86} and/or {@code arm}; empty when unknown
 */
public record ImageConfig(
    String user, List<String> entrypoint, List<String> cmd, Set<String> architectures) {
  public ImageConfig {
    user = user == null || user.isEmpty() ? null : user;
    entrypoint = entrypoint == null ? null : List.copyOf(entrypoint);
    cmd = cmd == null ? null : List.copyOf(cmd);
    architectures = architectures == null ? Set.of() : Set.copyOf(architectures);
  }
}
