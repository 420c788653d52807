package ai.dstack.shim.host;

import ai.dstack.core.agents.shim.GpuInfo;
import ai.dstack.core.agents.shim.HostInfo;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/** Reads the host's CPUs, memory, disk and addresses (Linux: from /proc, else from the JVM). */
public final class HostResources {
  private static final System.Logger LOG = System.getLogger(HostResources.class.getName());

  private HostResources() {}

  /** The host info with these GPUs, the disk being the one that holds {@code dataDir}. */
  public static HostInfo read(List<GpuInfo> gpus, Path dataDir) {
    return HostInfo.of(gpus, addresses(), diskSize(dataDir), cpus(), memory());
  }

  /** Logical CPUs of the host (not the JVM's share of them). */
  static int cpus() {
    try {
      long count =
          Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
              .filter(l -> l.startsWith("processor"))
              .count();
      if (count > 0) {
        return (int) count;
      }
    } catch (IOException e) {
      // not Linux
    }
    return Runtime.getRuntime().availableProcessors();
  }

  /** Total memory in bytes. */
  static long memory() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          return memTotalBytes(line);
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux
    }
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getTotalMemorySize();
    }
    return 0;
  }

  /** {@code MemTotal: 24567890 kB} in bytes. */
  static long memTotalBytes(String line) {
    String[] parts = line.trim().split("\\s+");
    return Long.parseLong(parts[1]) * 1024;
  }

  static long diskSize(Path dir) {
    try {
      Path existing = dir.toAbsolutePath();
      while (existing != null && !Files.exists(existing)) {
        existing = existing.getParent();
      }
      return existing == null ? 0 : Files.getFileStore(existing).getTotalSpace();
    } catch (IOException e) {
      LOG.log(Level.WARNING, "cannot read the disk size of " + dir + ": " + e.getMessage());
      return 0;
    }
  }

  /** Addresses with prefix length, e.g. {@code 10.0.0.5/24}, loopback and link-local left out. */
  static List<String> addresses() {
    List<String> result = new ArrayList<>();
    try {
      for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
        if (!nic.isUp() || nic.isLoopback()) {
          continue;
        }
        for (InterfaceAddress address : nic.getInterfaceAddresses()) {
          InetAddress ip = address.getAddress();
          if (ip.isLoopbackAddress() || ip.isLinkLocalAddress()) {
            continue;
          }
          result.add(text(ip) + "/" + address.getNetworkPrefixLength());
        }
      }
    } catch (SocketException e) {
      LOG.log(Level.WARNING, "cannot list network interfaces: " + e.getMessage());
    }
    return result;
  }

  /** The address as Go and {@code ip} print it: IPv6 in its short form, without a zone. */
  static String text(InetAddress ip) {
    String text = ip.getHostAddress();
    int zone = text.indexOf('%');
    text = zone < 0 ? text : text.substring(0, zone);
    if (!(ip instanceof Inet6Address)) {
      return text;
    }
    String[] groups = text.split(":");
    int bestStart = -1;
    int bestLength = 1; // RFC 5952: only a run of two or more zero groups becomes "::"
    for (int i = 0; i < groups.length; ) {
      int j = i;
      while (j < groups.length && groups[j].equals("0")) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    if (bestStart < 0) {
      return text;
    }
    String head = String.join(":", Arrays.copyOfRange(groups, 0, bestStart));
    String tail =
        String.join(":", Arrays.copyOfRange(groups, bestStart + bestLength, groups.length));
    return head + "::" + tail;
  }
}
