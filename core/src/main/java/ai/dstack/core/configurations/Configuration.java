package ai.dstack.core.configurations;

/**
 * One {@code .dstack.yml} configuration: a dev environment, task or service (runs), or a fleet,
 * volume or gateway. Field names and JSON shape are dstack's, so existing files work unchanged.
 */
public interface Configuration {
  /** The {@code type} as written in YAML: {@code task}, {@code fleet}, ... */
  String type();
}
