package ai.dstack.cli;

import ai.dstack.core.configurations.ConfigurationParser;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code dstack schema}: prints the JSON Schema of the configuration language. */
@Command(
    name = "schema",
    mixinStandardHelpOptions = true,
    description = "Print the JSON Schema of .dstack.yml configurations (for editors).")
final class SchemaCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getOut().print(ConfigurationParser.jsonSchemaText());
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }
}
