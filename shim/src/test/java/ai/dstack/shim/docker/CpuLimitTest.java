package ai.dstack.shim.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A container's CPU limit: its share, never more than the host has (Docker refuses that). */
class CpuLimitTest {

  @ParameterizedTest
  @CsvSource({
    // share, host CPUs, limit in nano CPUs
    "1,   2, 1000000000",
    "0.5, 2, 500000000",
    "2,   2, 2000000000",
    // an oversubscribed host handing out 4 CPUs of 2
    "4,   2, 2000000000"
  })
  void aShareIsLimitedToItsCpusButNeverMoreThanTheHosts(double share, int host, long limit) {
    assertEquals(limit, DockerTaskEngine.nanoCpus(share, host));
  }
}
