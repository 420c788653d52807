package ai.dstack.orchestrator.testing;

import ai.dstack.orchestrator.DstackServer;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.ContextConfiguration;

/** As {@link OnLocalFleet}, on PostgreSQL: runs end to end on the other database. */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(
    classes = DstackServer.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = OnLocalFleetOnPostgres.Initializer.class)
public @interface OnLocalFleetOnPostgres {

  /** The local fleet's settings, and a database of the tests' PostgreSQL cluster. */
  final class Initializer extends OnLocalFleet.Initializer {
    @Override
    public void initialize(ConfigurableApplicationContext context) {
      super.initialize(context);
      TestPropertyValues.of(Map.of("dstack.database.url", LocalPostgres.url())).applyTo(context);
    }
  }
}
