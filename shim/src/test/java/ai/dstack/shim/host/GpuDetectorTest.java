package ai.dstack.shim.host;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The GPU vendor comes from device nodes, NVIDIA's first (a host may have an AMD iGPU too). */
class GpuDetectorTest {

  @Test
  void tellsTheVendorByDeviceNodes(@TempDir Path root) throws Exception {
    assertEquals("none", new GpuDetector(root).vendor());
    Files.createDirectories(root.resolve("dev"));
    Files.createFile(root.resolve("dev/kfd"));
    assertEquals("amd", new GpuDetector(root).vendor());
    Files.createFile(root.resolve("dev/nvidiactl"));
    assertEquals("nvidia", new GpuDetector(root).vendor());
  }

  @Test
  void readsMemTotalFromProcMeminfo() {
    assertEquals(24_567_890L * 1024, HostResources.memTotalBytes("MemTotal:       24567890 kB"));
  }

  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource({
    "fd00:0:0:0:0:0:0:2, fd00::2",
    "0:0:0:0:0:0:0:1, ::1",
    "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
    "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
    "fe80:0:0:0:0:0:0:0, fe80::",
    "10.0.0.5, 10.0.0.5",
  })
  void printsAddressesInTheirShortForm(String address, String expected) throws Exception {
    assertEquals(expected, HostResources.text(java.net.InetAddress.getByName(address)));
  }
}
