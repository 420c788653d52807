package ai.dstack.core.resources;

/** CPU requirement: architecture ({@code x86}, {@code arm}, or any when null) and core count. */
public record CpuSpec(String arch, Range<Long> count) {
  public static final Range<Long> DEFAULT_COUNT = Range.atLeast(2L);
  public static final CpuSpec DEFAULT = new CpuSpec(null, DEFAULT_COUNT);
}
