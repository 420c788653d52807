package ai.dstack.orchestrator.testing;

import ai.dstack.orchestrator.DstackServer;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ContextConfiguration;

/**
 * As {@link OnLocalFleet}, with the shim running each job in a Docker container of the local base
 * image ({@code dstack-base:local}, built by {@code docker/build-base-image.sh}); the classes with
 * it need a Docker engine ({@link DockerEngine#assume()}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(
    classes = DstackServer.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = OnLocalDockerFleet.Initializer.class)
public @interface OnLocalDockerFleet {

  /** Docker mode. */
  final class Initializer extends OnLocalFleet.Initializer {
    @Override
    protected String mode() {
      return "docker";
    }
  }
}
