package ai.dstack.cli;

import ai.dstack.sdk.api.DstackException;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * A resource of a project known by its name (a fleet, volume, gateway), as the commands that show
 * or delete it speak of it: {@code Fleet gpus}; fetched with dstack's not-found messages, deleted
 * after the user confirms, then said deleted.
 *
 * @param kind the kind as messages start with it: {@code Fleet}
 * @param name the resource's name
 * @param project its project
 */
record NamedResource(String kind, String name, String project) {

  /** A server call that may answer not found. */
  @FunctionalInterface
  interface Lookup<T> {
    T get();
  }

  /**
   * {@code text} as a name of the current project: the {@code PROJECT/NAME} form, fine where dstack
   * shows another project's resource, is refused where it changes one.
   */
  static String ownName(String text, String kind) {
    var reference = EntityReference.parse(text);
    if (reference.project() != null) {
      String upper = kind.toUpperCase(Locale.ROOT);
      String lower = kind.toLowerCase(Locale.ROOT);
      throw new CliException(
          "The PROJECT/"
              + upper
              + " form is not supported here: only "
              + lower
              + "s of the current project can be deleted (use --project "
              + reference.project()
              + ")");
    }
    return text;
  }

  /**
   * What {@code lookup} finds, for showing it; when the server says not found: {@code Fleet gpus
   * not found in project main; `dstack fleet` lists the fleets}.
   */
  <T> T get(Lookup<T> lookup) {
    try {
      return lookup.get();
    } catch (DstackException.NotFound e) {
      throw notFound();
    }
  }

  /** The failure of {@link #get}. */
  CliException notFound() {
    String command = kind.toLowerCase(Locale.ROOT);
    return new CliException(
        this
            + " not found in project "
            + project
            + "; `dstack "
            + command
            + "` lists the "
            + command
            + "s");
  }

  /**
   * What {@code lookup} finds, before deleting it; when the server says not found: {@code Fleet
   * gpus does not exist in project main}.
   */
  <T> T existing(Lookup<T> lookup) {
    try {
      return lookup.get();
    } catch (DstackException.NotFound e) {
      throw doesNotExist();
    }
  }

  /** The failure of {@link #existing}. */
  CliException doesNotExist() {
    return new CliException(this + " does not exist in project " + project);
  }

  /** Asks {@code Delete the fleet gpus?}; false (having said {@code Exiting...}) for no. */
  boolean deleteConfirmed(PrintWriter err, boolean yes) {
    return Prompts.proceed(
        err, "Delete the " + kind.toLowerCase(Locale.ROOT) + " " + name + "?", yes);
  }

  /** Says {@code Fleet gpus deleted} on {@code out}. */
  void sayDeleted(PrintWriter out) {
    out.println(this + " deleted");
    out.flush();
  }

  /** {@code Fleet gpus}. */
  @Override
  public String toString() {
    return kind + " " + name;
  }
}
