package ai.dstack.core.resources;

/**
 * What a run asks of a machine. Memory, shared memory and disk are in GB. Defaults as dstack's: cpu
 * {@code 2..}, memory {@code 8GB..}, gpu {@code 0..}, disk {@code 100GB..}. {@code gpu} and {@code
 * disk} are null where the configuration writes them as null (no requirement), as in dstack.
 */
public record ResourcesSpec(
    CpuSpec cpu, Range<Double> memory, Double shmSize, GpuSpec gpu, DiskSpec disk) {

  public static final Range<Double> DEFAULT_MEMORY = Range.atLeast(8.0);

  public static final ResourcesSpec DEFAULT =
      new ResourcesSpec(CpuSpec.DEFAULT, DEFAULT_MEMORY, null, GpuSpec.DEFAULT, DiskSpec.DEFAULT);
}
