package ai.dstack.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The one-way module dependencies of DESIGN.md, checked on the compiled classes. */
class ModuleDependencyTest {

  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("ai.dstack");

  private static final String SPRING = "org.springframework..";
  private static final String TEMPORAL = "io.temporal..";

  static Stream<Arguments> forbiddenDependencies() {
    return Stream.of(
        Arguments.of(
            "ai.dstack.core..",
            new String[] {
              SPRING,
              TEMPORAL,
              "ai.dstack.workflows..",
              "ai.dstack.activities..",
              "ai.dstack.orchestrator..",
              "ai.dstack.runner..",
              "ai.dstack.shim..",
              "ai.dstack.gateway..",
              "ai.dstack.sdk..",
              "ai.dstack.cli.."
            }),
        Arguments.of(
            "ai.dstack.workflows..",
            new String[] {SPRING, "ai.dstack.activities..", "ai.dstack.orchestrator.."}),
        Arguments.of("ai.dstack.activities..", new String[] {"ai.dstack.orchestrator.."}),
        Arguments.of(
            "ai.dstack.runner..",
            new String[] {
              SPRING,
              TEMPORAL,
              "ai.dstack.workflows..",
              "ai.dstack.activities..",
              "ai.dstack.shim.."
            }),
        Arguments.of(
            "ai.dstack.shim..",
            new String[] {
              SPRING,
              TEMPORAL,
              "ai.dstack.workflows..",
              "ai.dstack.activities..",
              "ai.dstack.runner.."
            }),
        Arguments.of(
            "ai.dstack.gateway..",
            new String[] {TEMPORAL, "ai.dstack.workflows..", "ai.dstack.activities.."}),
        Arguments.of(
            "ai.dstack.sdk..",
            new String[] {
              "ai.dstack.orchestrator..",
              "ai.dstack.activities..",
              "ai.dstack.workflows..",
              "ai.dstack.cli.."
            }),
        Arguments.of(
            "ai.dstack.cli..",
            new String[] {
              "ai.dstack.orchestrator..", "ai.dstack.activities..", "ai.dstack.workflows.."
            }));
  }

  @ParameterizedTest(name = "{0} depends on none of its forbidden packages")
  @MethodSource("forbiddenDependencies")
  void moduleDependsOnlyOneWay(String module, String[] forbidden) {
    noClasses()
        .that()
        .resideInAPackage(module)
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(forbidden)
        .check(CLASSES);
  }

  @Test
  void everyModuleHasClassesToCheck() {
    // Guards the rules above against passing on an empty import.
    for (var module :
        new String[] {
          "core",
          "workflows",
          "activities",
          "orchestrator",
          "runner",
          "shim",
          "gateway",
          "sdk",
          "cli"
        }) {
      var found =
          CLASSES.stream().anyMatch(c -> c.getPackageName().startsWith("ai.dstack." + module));
      org.junit.jupiter.api.Assertions.assertTrue(found, "no classes imported for " + module);
    }
  }
}
