package ai.dstack.core.profiles;

import ai.dstack.core.yaml.Field;
import ai.dstack.core.yaml.FieldValues;
import ai.dstack.core.yaml.Node;

/**
 * dstack takes {@code field: null} as "not set" only where a field is optional; a field with a
 * default (such as {@code commands}, {@code env}, {@code privileged}) or a required one refuses an
 * explicit null. Object readers call this for such fields.
 */
public final class NullValues {
  private NullValues() {}

  /** Records a problem for each of these fields that was written as null. */
  public static void rejectNull(FieldValues values, Field<?>... fields) {
    for (var field : fields) {
      var entry = values.mapping().get(field.name());
      if (entry != null && entry.value() instanceof Node.Scalar s && s.isNull()) {
        values.problem(
            field,
            "cannot be null; "
                + (field.required()
                    ? "give a value (" + field.description() + ")"
                    : "give a value or remove the line"));
      }
    }
  }
}
