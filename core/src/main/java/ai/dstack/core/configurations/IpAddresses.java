package ai.dstack.core.configurations;

import ai.dstack.core.yaml.Readers;
import ai.dstack.core.yaml.ValueReader;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * IP addresses and networks read as Python's {@code ipaddress} module reads them, which is what
 * dstack checks an SSH fleet's {@code network} and {@code internal_ip} with: strict dotted quads
 * (no leading zeros), IPv6 with {@code ::} and an optional {@code %scope}, prefixes as a length or
 * (for IPv4) a netmask or hostmask, and "private" as the IANA special-purpose registries define it.
 */
final class IpAddresses {
  private IpAddresses() {}

  // Before the blocks below, which are parsed with it.
  private static final Pattern HEXTET = Pattern.compile("[0-9a-fA-F]{1,4}");

  /** An address: its bits, and 32 or 128 of them. */
  record Address(BigInteger bits, int width) {
    boolean isIpv4() {
      return width == 32;
    }
  }

  /** A network: its first and last address. */
  record Network(Address first, Address last) {}

  private record Block(Address base, int prefix) {
    boolean contains(Address address) {
      if (address.width() != base.width()) {
        return false;
      }
      var shift = base.width() - prefix;
      return address.bits().shiftRight(shift).equals(base.bits().shiftRight(shift));
    }
  }

  private static final List<Block> PRIVATE_V4 =
      blocks(
          "0.0.0.0/8",
          "10.0.0.0/8",
          "127.0.0.0/8",
          "169.254.0.0/16",
          "172.16.0.0/12",
          "192.0.0.0/29",
          "192.0.0.170/31",
          "192.0.2.0/24",
          "192.168.0.0/16",
          "198.18.0.0/15",
          "198.51.100.0/24",
          "203.0.113.0/24",
          "240.0.0.0/4",
          "255.255.255.255/32");

  private static final List<Block> PRIVATE_V6 =
      blocks(
          "::1/128",
          "::/128",
          "::ffff:0:0/96",
          "100::/64",
          "2001::/23",
          "2001:2::/48",
          "2001:db8::/32",
          "2001:10::/28",
          "fc00::/7",
          "fe80::/10");

  private static final Block IPV4_MAPPED = PRIVATE_V6.get(2);

  private static List<Block> blocks(String... cidrs) {
    var blocks = new ArrayList<Block>();
    for (var cidr : cidrs) {
      var slash = cidr.indexOf('/');
      blocks.add(
          new Block(
              address(cidr.substring(0, slash)), Integer.parseInt(cidr.substring(slash + 1))));
    }
    return List.copyOf(blocks);
  }

  private static final String PRIVATE_RANGES = "10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16";

  /** A private IP address, IPv4 or IPv6, kept as written. */
  static final ValueReader<String> PRIVATE_ADDRESS =
      ValueReader.of(
          Map.of("type", "string"),
          (node, path, problems) -> {
            var text = Readers.STRING.read(node, path, problems);
            if (text == null) {
              return null;
            }
            var address = address(text);
            if (address == null) {
              return problems.add(
                  node, path, "\"" + text + "\" is not an IP address; write e.g. 10.0.0.5");
            }
            if (!isPrivate(address)) {
              return problems.add(
                  node,
                  path,
                  text
                      + " is not a private IP address; write the host's address on the internal network (e.g. in "
                      + PRIVATE_RANGES
                      + ")");
            }
            return text;
          });

  /** A private network, {@code <ip>/<prefix>} (host bits may be set), kept as written. */
  static final ValueReader<String> PRIVATE_NETWORK =
      ValueReader.of(
          Map.of("type", "string"),
          (node, path, problems) -> {
            var text = Readers.STRING.read(node, path, problems);
            if (text == null) {
              return null;
            }
            var network = network(text);
            if (network == null) {
              return problems.add(
                  node,
                  path,
                  "\"" + text + "\" is not a network; write <ip>/<prefix>, e.g. 10.0.0.0/24");
            }
            if (!isPrivate(network)) {
              return problems.add(
                  node,
                  path,
                  text + " is not a private network; write one within " + PRIVATE_RANGES);
            }
            return text;
          });

  /** The address written, or null when the text is not an IPv4 or IPv6 address. */
  static Address address(String text) {
    var v4 = ipv4(text);
    return v4 != null ? new Address(v4, 32) : ipv6WithScope(text);
  }

  /** Whether the address is reserved for private use (IPv4-mapped IPv6 as its IPv4 address). */
  static boolean isPrivate(Address address) {
    if (address.isIpv4()) {
      return PRIVATE_V4.stream().anyMatch(b -> b.contains(address));
    }
    if (IPV4_MAPPED.contains(address)) {
      return isPrivate(new Address(address.bits().and(BigInteger.valueOf(0xFFFFFFFFL)), 32));
    }
    return PRIVATE_V6.stream().anyMatch(b -> b.contains(address));
  }

  /**
   * The network written as {@code address[/prefix]}; host bits may be set. Null when the text is
   * not a network.
   */
  static Network network(String text) {
    var parts = text.split("/", -1);
    if (parts.length > 2) {
      return null;
    }
    var v4 = ipv4(parts[0]);
    Address address;
    Integer prefix;
    if (v4 != null) {
      address = new Address(v4, 32);
      prefix = parts.length == 1 ? Integer.valueOf(32) : ipv4Prefix(parts[1]);
    } else {
      address = ipv6WithScope(parts[0]);
      prefix = parts.length == 1 ? Integer.valueOf(128) : prefixLength(parts[1], 128);
    }
    if (address == null || prefix == null) {
      return null;
    }
    var hostBits = BigInteger.ONE.shiftLeft(address.width() - prefix).subtract(BigInteger.ONE);
    var first = address.bits().andNot(hostBits);
    return new Network(
        new Address(first, address.width()), new Address(first.or(hostBits), address.width()));
  }

  /** Whether the whole network lies in one private block. */
  static boolean isPrivate(Network network) {
    var blocks = network.first().isIpv4() ? PRIVATE_V4 : PRIVATE_V6;
    return blocks.stream().anyMatch(b -> b.contains(network.first()) && b.contains(network.last()));
  }

  private static BigInteger ipv4(String text) {
    var octets = text.split("\\.", -1);
    if (octets.length != 4) {
      return null;
    }
    long bits = 0;
    for (var octet : octets) {
      if (octet.isEmpty()
          || octet.length() > 3
          || !octet.chars().allMatch(c -> c >= '0' && c <= '9')
          || octet.length() > 1 && octet.charAt(0) == '0') {
        return null;
      }
      var value = Integer.parseInt(octet);
      if (value > 255) {
        return null;
      }
      bits = bits << 8 | value;
    }
    return BigInteger.valueOf(bits);
  }

  /** An IPv4 prefix: a length 0..32, or a netmask (255.255.0.0) or hostmask (0.0.255.255). */
  private static Integer ipv4Prefix(String text) {
    var length = prefixLength(text, 32);
    if (length != null) {
      return length;
    }
    var mask = ipv4(text);
    if (mask == null) {
      return null;
    }
    var asNetmask = contiguousOnes(mask.longValue());
    return asNetmask != null ? asNetmask : contiguousOnes(~mask.longValue() & 0xFFFFFFFFL);
  }

  /** The prefix length of a netmask of leading ones, or null when the ones are not contiguous. */
  private static Integer contiguousOnes(long mask) {
    var zeros = mask == 0 ? 32 : Long.numberOfTrailingZeros(mask);
    var ones = 32 - zeros;
    return mask >>> zeros == (1L << ones) - 1 ? ones : null;
  }

  private static Integer prefixLength(String text, int max) {
    if (text.isEmpty() || !text.chars().allMatch(c -> c >= '0' && c <= '9') || text.length() > 5) {
      return null;
    }
    var length = Integer.parseInt(text);
    return length <= max ? length : null;
  }

  private static Address ipv6WithScope(String text) {
    var percent = text.indexOf('%');
    if (percent >= 0) {
      var scope = text.substring(percent + 1);
      if (scope.isEmpty() || scope.contains("%")) {
        return null;
      }
      text = text.substring(0, percent);
    }
    var bits = ipv6(text);
    return bits == null ? null : new Address(bits, 128);
  }

  private static BigInteger ipv6(String text) {
    if (text.isEmpty()) {
      return null;
    }
    var parts = new ArrayList<>(List.of(text.split(":", -1)));
    if (parts.size() < 3) {
      return null;
    }
    var last = parts.get(parts.size() - 1);
    if (last.contains(".")) {
      var v4 = ipv4(last);
      if (v4 == null) {
        return null;
      }
      parts.remove(parts.size() - 1);
      parts.add(Integer.toHexString(v4.intValue() >>> 16));
      parts.add(Integer.toHexString(v4.intValue() & 0xFFFF));
    }
    if (parts.size() > 9) {
      return null;
    }
    int skip = -1;
    for (int i = 1; i < parts.size() - 1; i++) {
      if (parts.get(i).isEmpty()) {
        if (skip >= 0) {
          return null; // more than one "::"
        }
        skip = i;
      }
    }
    int high;
    int low;
    int skipped;
    if (skip >= 0) {
      high = skip;
      low = parts.size() - skip - 1;
      if (parts.get(0).isEmpty() && --high != 0) {
        return null; // a leading ":" only as part of "::"
      }
      if (parts.get(parts.size() - 1).isEmpty() && --low != 0) {
        return null; // a trailing ":" only as part of "::"
      }
      skipped = 8 - (high + low);
      if (skipped < 1) {
        return null;
      }
    } else {
      if (parts.size() != 8 || parts.get(0).isEmpty() || parts.get(7).isEmpty()) {
        return null;
      }
      high = 8;
      low = 0;
      skipped = 0;
    }
    var bits = BigInteger.ZERO;
    for (int i = 0; i < high; i++) {
      var hextet = hextet(parts.get(i));
      if (hextet < 0) {
        return null;
      }
      bits = bits.shiftLeft(16).or(BigInteger.valueOf(hextet));
    }
    bits = bits.shiftLeft(16 * skipped);
    for (int i = parts.size() - low; i < parts.size(); i++) {
      var hextet = hextet(parts.get(i));
      if (hextet < 0) {
        return null;
      }
      bits = bits.shiftLeft(16).or(BigInteger.valueOf(hextet));
    }
    return bits;
  }

  private static int hextet(String text) {
    return HEXTET.matcher(text).matches() ? Integer.parseInt(text, 16) : -1;
  }
}
