package ai.dstack.core.configurations;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * SSH fleet addresses and networks read as Python's ipaddress reads them (the table is Python's).
 */
class IpAddressesTest {

  @ParameterizedTest(name = "{0} \"{1}\" is {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "address | '10.0.0.1' | private",
        "address | '8.8.8.8' | public",
        "address | '172.31.255.255' | private",
        "address | '172.32.0.1' | public",
        "address | '192.168.1.1' | private",
        "address | '100.64.0.1' | public",
        "address | '127.0.0.1' | private",
        "address | '169.254.1.1' | private",
        "address | '0.0.0.0' | private",
        "address | '255.255.255.255' | private",
        "address | '198.18.0.1' | private",
        "address | '01.2.3.4' | invalid",
        "address | '1.2.3.256' | invalid",
        "address | '1.2.3' | invalid",
        "address | '1.2.3.4.5' | invalid",
        "address | '' | invalid",
        "address | '10.0.0.1 ' | invalid",
        "address | '::1' | private",
        "address | '::' | private",
        "address | 'fd00::1' | private",
        "address | 'FD00::1' | private",
        "address | 'fe80::1%eth0' | private",
        "address | 'fe80::1%' | invalid",
        "address | '2001:db8::1' | private",
        "address | '2606:4700::1111' | public",
        "address | '::ffff:10.0.0.1' | private",
        "address | '::ffff:8.8.8.8' | public",
        "address | '1::2::3' | invalid",
        "address | ':1::2' | invalid",
        "address | '1:2:3:4:5:6:7:8' | public",
        "address | '1:2:3:4:5:6:7:8:9' | invalid",
        "address | '1:2:3:4:5:6:7::' | public",
        "address | '::1:2:3:4:5:6:7' | public",
        "address | '1:2:3:4:5:6::7:8' | invalid",
        "address | '12345::1' | invalid",
        "address | 'fc00::10.0.0.1' | private",
        "address | 'g::1' | invalid",
        "address | '1:2:3:4:5:6:1.2.3.4' | public",
        "address | '::1.2.3.4' | public",
        "network | '10.0.0.0/8' | private",
        "network | '10.0.0.1/24' | private",
        "network | '10.1.2.3' | private",
        "network | '172.16.0.0/11' | public",
        "network | '172.16.0.0/12' | private",
        "network | '192.168.0.0/255.255.0.0' | private",
        "network | '192.168.0.0/0.0.255.255' | private",
        "network | '10.0.0.0/255.0.255.0' | invalid",
        "network | '10.0.0.0/33' | invalid",
        "network | '10.0.0.0/' | invalid",
        "network | '10.0.0.0/08' | private",
        "network | '10.0.0.0/+8' | invalid",
        "network | '10.0.0.0/8/8' | invalid",
        "network | '0.0.0.0/0' | public",
        "network | '0.0.0.0/8' | private",
        "network | '8.8.8.0/24' | public",
        "network | '100.64.0.0/10' | public",
        "network | 'fd00::/8' | private",
        "network | 'fc00::/6' | public",
        "network | 'fe80::%eth0/64' | private",
        "network | 'fd00::/255.0.0.0' | invalid",
        "network | '::ffff:10.0.0.0/104' | private",
        "network | '2001:db8::/32' | private",
        "network | 'bad' | invalid",
        "network | '' | invalid"
      })
  void classifiesAsPythonDoes(String kind, String text, String expected) {
    String actual;
    if (kind.equals("address")) {
      var address = IpAddresses.address(text);
      actual = address == null ? "invalid" : IpAddresses.isPrivate(address) ? "private" : "public";
    } else {
      var network = IpAddresses.network(text);
      actual = network == null ? "invalid" : IpAddresses.isPrivate(network) ? "private" : "public";
    }
    assertEquals(expected, actual);
  }
}
