package ai.dstack.cli;

/**
 * A name as dstack's commands take it: {@code NAME} in the current project, or {@code PROJECT/NAME}
 * for a resource another project shares.
 *
 * @param project the project named, or null for the current one
 * @param name the resource's name
 */
record EntityReference(String project, String name) {

  /** {@code text} split at its slash; null for null. */
  static EntityReference parse(String text) {
    if (text == null) {
      return null;
    }
    int slash = text.indexOf('/');
    if (slash < 0) {
      return new EntityReference(null, text);
    }
    if (slash == 0 || slash == text.length() - 1 || text.indexOf('/', slash + 1) >= 0) {
      throw new CliException(
          "Invalid name " + text + ": expected NAME or PROJECT/NAME", ExitCodes.USAGE);
    }
    return new EntityReference(text.substring(0, slash), text.substring(slash + 1));
  }
}
