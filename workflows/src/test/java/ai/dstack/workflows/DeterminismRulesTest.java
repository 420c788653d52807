package ai.dstack.workflows;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import ai.dstack.workflows.fleets.FleetActivities;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.time.Clock;
import java.time.Instant;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Workflow code must replay the same way every time: time, randomness and threads come from the
 * Workflow API only. (Activity interfaces and records live here too; they have no code to break.)
 */
class DeterminismRulesTest {
  private static final JavaClasses WORKFLOWS =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("ai.dstack.workflows");

  @Test
  void noClocksButWorkflowTime() {
    noClasses()
        .should()
        .callMethod(System.class, "currentTimeMillis")
        .orShould()
        .callMethod(System.class, "nanoTime")
        .orShould()
        .callMethod(Instant.class, "now")
        .orShould()
        .dependOnClassesThat()
        .areAssignableTo(Clock.class)
        .check(WORKFLOWS);
  }

  @Test
  void noRandomnessButWorkflowRandomness() {
    noClasses()
        .should()
        .callMethod(UUID.class, "randomUUID")
        .orShould()
        .callMethod(Math.class, "random")
        .orShould()
        .dependOnClassesThat()
        .areAssignableTo(Random.class)
        .check(WORKFLOWS);
  }

  @Test
  void noThreadsButWorkflowThreads() {
    // The fleet's activity implementation runs in the worker's activity threads, not in workflows.
    noClasses()
        .that()
        .areNotAssignableTo(FleetActivities.class)
        .should()
        .dependOnClassesThat()
        .areAssignableTo(Thread.class)
        .orShould()
        .dependOnClassesThat()
        .resideInAPackage("java.util.concurrent..")
        .check(WORKFLOWS);
  }
}
