package ai.dstack.cli;

import ai.dstack.core.configurations.ConfigurationParser;
import ai.dstack.core.json.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
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
  public Integer call() throws JsonProcessingException {
    spec.commandLine()
        .getOut()
        .println(
            Json.MAPPER
                .writerWithDefaultPrettyPrinter()
                .writeValueAsString(ConfigurationParser.jsonSchema()));
    return ExitCodes.OK;
  }
}
