package ai.dstack.cli;

import ai.dstack.core.configurations.ConfigurationParser;
import ai.dstack.core.yaml.InvalidConfigurationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code dstack validate FILE...}: checks configuration files without a server. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = {
      "Check .dstack.yml files. Prints every problem of every file as"
          + " file:line:column field: problem, and exits 1 if any file is invalid."
    })
final class ValidateCommand implements Callable<Integer> {

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Configuration files to check.")
  List<Path> files;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    int invalid = 0;
    for (var file : files) {
      try {
        var configuration = ConfigurationParser.parse(Files.readString(file), file.toString());
        out.println(file + ": valid " + configuration.type());
      } catch (InvalidConfigurationException e) {
        invalid++;
        e.errors().forEach(out::println);
      } catch (IOException e) {
        invalid++;
        out.println(file + ": cannot read: " + describe(e));
      }
    }
    if (invalid > 0) {
      spec.commandLine().getErr().println(invalid + " of " + files.size() + " file(s) invalid");
      return ExitCodes.INVALID;
    }
    return ExitCodes.OK;
  }

  private static String describe(IOException e) {
    return e instanceof java.nio.file.NoSuchFileException ? "no such file" : e.getMessage();
  }
}
