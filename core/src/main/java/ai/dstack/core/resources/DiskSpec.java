package ai.dstack.core.resources;

/** Disk requirement, in GB. */
public record DiskSpec(Range<Double> size) {
  public static final DiskSpec DEFAULT = new DiskSpec(Range.atLeast(100.0));
}
