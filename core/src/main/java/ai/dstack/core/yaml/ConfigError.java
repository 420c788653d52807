package ai.dstack.core.yaml;

/**
 * One problem in a configuration: where it is and what is wrong. Reads like {@code
 * task.dstack.yml:7:3 resources.gpu: "A100:2:3" has two counts}.
 */
public record ConfigError(String file, int line, int column, String path, String message) {
  @Override
  public String toString() {
    var where = line > 0 ? file + ":" + line + ":" + column : file;
    return path.isEmpty() ? where + " " + message : where + " " + path + ": " + message;
  }
}
