package ai.dstack.orchestrator.temporal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.orchestrator.testing.Processes;
import ai.dstack.orchestrator.testing.SharedTemporal;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS to an existing cluster, for real: the shared Temporal dev server behind a TLS proxy that
 * demands a client certificate (mutual TLS), with certificates made by openssl. The server's
 * settings reach it, and each wrong one fails with the setting named.
 */
class TemporalTlsTest {

  @TempDir static Path certs;

  private static TlsProxy proxy;

  @BeforeAll
  static void startProxy() throws Exception {
    openssl(
        "req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=test-ca -keyout ca.key -out ca.pem");
    openssl(
        "req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=other-ca -keyout other.key -out"
            + " other.pem");
    signed("server", "subjectAltName=DNS:temporal.test,IP:127.0.0.1");
    signed("client", "extendedKeyUsage=clientAuth");
    openssl(
        "pkcs12 -export -passout pass:changeit -inkey server.key -in server.pem -out server.p12");
    proxy = new TlsProxy(certs.resolve("server.p12"), certs.resolve("ca.pem"));
  }

  @AfterAll
  static void stopProxy() throws IOException {
    if (proxy != null) {
      proxy.close();
    }
  }

  @Test
  void mutualTlsWithTheClusterCaReachesTheCluster() {
    var tls = new TemporalSettings.Tls(false, cert("ca.pem"), cert("client.pem"), key(), null);

    assertEquals("default", describeDefaultNamespace(settings(tls, null)));
  }

  @Test
  void theServerNameSettingChecksTheCertificateAgainstThatName() {
    var tls =
        new TemporalSettings.Tls(true, cert("ca.pem"), cert("client.pem"), key(), "temporal.test");

    assertEquals("default", describeDefaultNamespace(settings(tls, "an-api-key")));
  }

  @Test
  void withoutTheClientCertificateTheClusterRefuses() {
    var tls = new TemporalSettings.Tls(false, cert("ca.pem"), null, null, null);

    assertThrows(RuntimeException.class, () -> describeDefaultNamespace(settings(tls, null)));
  }

  @Test
  void aClusterCertificateFromAnotherCaIsNotTrusted() {
    var tls = new TemporalSettings.Tls(false, cert("other.pem"), cert("client.pem"), key(), null);

    assertThrows(RuntimeException.class, () -> describeDefaultNamespace(settings(tls, null)));
  }

  @Test
  void aCertificateWithoutItsKeyIsRefusedNamingBoth() {
    var tls = new TemporalSettings.Tls(false, null, cert("client.pem"), null, null);

    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> TemporalTls.apply(settings(tls, null), WorkflowServiceStubsOptions.newBuilder()));
    assertTrue(e.getMessage().contains("DSTACK_TEMPORAL_TLS_CLIENT_KEY"), e.getMessage());
  }

  @Test
  void aMissingOrWrongFileIsRefusedNamingTheSetting() {
    var missing = new TemporalSettings.Tls(false, certs.resolve("nowhere.pem"), null, null, null);
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                TemporalTls.apply(
                    settings(missing, null), WorkflowServiceStubsOptions.newBuilder()));
    assertTrue(e.getMessage().contains("DSTACK_TEMPORAL_TLS_CA_CERT"), e.getMessage());

    var keyAsCa = new TemporalSettings.Tls(false, key(), null, null, null);
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                TemporalTls.apply(
                    settings(keyAsCa, null), WorkflowServiceStubsOptions.newBuilder()));
    assertTrue(e.getMessage().contains("DSTACK_TEMPORAL_TLS_CA_CERT"), e.getMessage());
  }

  @Test
  void tlsWithTheEmbeddedDevServerIsRefused() {
    var tls = new TemporalSettings.Tls(true, null, null, null, null);
    var embedded = new TemporalSettings("", "default", "temporal", 0, null, null, tls, null);

    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> TemporalTls.apply(embedded, WorkflowServiceStubsOptions.newBuilder()));
    assertTrue(e.getMessage().contains("DSTACK_TEMPORAL_ADDRESS"), e.getMessage());
  }

  @Test
  void noTlsSettingsLeaveTheConnectionPlain() {
    var plain = settings(new TemporalSettings.Tls(false, null, null, null, null), null);
    var options = WorkflowServiceStubsOptions.newBuilder().setTarget(SharedTemporal.target());

    TemporalTls.apply(plain, options);

    var stubs = WorkflowServiceStubs.newServiceStubs(options.build());
    try {
      stubs.healthCheck();
    } finally {
      stubs.shutdownNow();
    }
  }

  // ---- Helpers. ----

  private static TemporalSettings settings(TemporalSettings.Tls tls, String apiKey) {
    return new TemporalSettings(
        "127.0.0.1:" + proxy.port(), "default", "temporal", 0, null, null, tls, apiKey);
  }

  /** The namespace's name as the cluster describes it, through the settings' connection. */
  private static String describeDefaultNamespace(TemporalSettings settings) {
    var options =
        WorkflowServiceStubsOptions.newBuilder()
            .setTarget(settings.address())
            .setRpcTimeout(Duration.ofSeconds(5));
    TemporalTls.apply(settings, options);
    var stubs = WorkflowServiceStubs.newServiceStubs(options.build());
    try {
      return stubs
          .blockingStub()
          .withDeadlineAfter(10, java.util.concurrent.TimeUnit.SECONDS)
          .describeNamespace(DescribeNamespaceRequest.newBuilder().setNamespace("default").build())
          .getNamespaceInfo()
          .getName();
    } finally {
      stubs.shutdownNow();
    }
  }

  private static Path cert(String name) {
    return certs.resolve(name);
  }

  /** The client's key, PKCS#8 (openssl 3 writes that by default). */
  private static Path key() {
    return certs.resolve("client.key");
  }

  /** A key and a certificate for {@code name}, signed by the test CA, with {@code extension}. */
  private static void signed(String name, String extension) throws IOException {
    openssl(
        "req -newkey rsa:2048 -nodes -subj /CN="
            + name
            + " -keyout "
            + name
            + ".key -out "
            + name
            + ".csr");
    Files.writeString(certs.resolve(name + ".ext"), extension + "\n");
    openssl(
        "x509 -req -days 2 -in "
            + name
            + ".csr -CA ca.pem -CAkey ca.key -CAcreateserial -extfile "
            + name
            + ".ext -out "
            + name
            + ".pem");
  }

  private static void openssl(String arguments) {
    var command = new java.util.ArrayList<>(List.of("openssl"));
    command.addAll(List.of(arguments.split(" ")));
    var result = Processes.run(command, certs, Map.of(), Duration.ofSeconds(60));
    assertEquals(0, result.exitCode(), String.join(" ", command) + "\n" + result.output());
  }

  /**
   * Terminates TLS (HTTP/2 by ALPN, as gRPC wants; client certificates of the test CA required) and
   * passes the bytes on to the shared dev server.
   */
  private static final class TlsProxy implements AutoCloseable {
    private final SSLServerSocket server;

    TlsProxy(Path keyStore, Path ca) throws Exception {
      var keys = KeyStore.getInstance("PKCS12");
      try (var in = Files.newInputStream(keyStore)) {
        keys.load(in, "changeit".toCharArray());
      }
      var keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keyManagers.init(keys, "changeit".toCharArray());
      var trusted = KeyStore.getInstance(KeyStore.getDefaultType());
      trusted.load(null, null);
      try (var in = Files.newInputStream(ca)) {
        trusted.setCertificateEntry(
            "ca",
            java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in));
      }
      var trustManagers =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trustManagers.init(trusted);
      var context = SSLContext.getInstance("TLS");
      context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
      server =
          (SSLServerSocket)
              context
                  .getServerSocketFactory()
                  .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
      var parameters = server.getSSLParameters();
      parameters.setApplicationProtocols(new String[] {"h2"});
      parameters.setNeedClientAuth(true);
      server.setSSLParameters(parameters);
      Thread.ofVirtual().start(this::accept);
    }

    int port() {
      return server.getLocalPort();
    }

    private void accept() {
      var target = SharedTemporal.target().split(":");
      while (!server.isClosed()) {
        try {
          var client = server.accept();
          var upstream = new Socket(target[0], Integer.parseInt(target[1]));
          Thread.ofVirtual().start(() -> pump(client, upstream));
          Thread.ofVirtual().start(() -> pump(upstream, client));
        } catch (IOException e) {
          // closed, or one connection failed: the next accept tells
        }
      }
    }

    private static void pump(Socket from, Socket to) {
      try (InputStream in = from.getInputStream();
          OutputStream out = to.getOutputStream()) {
        in.transferTo(out);
      } catch (IOException e) {
        // a handshake refused or a connection closed: close both sides
      } finally {
        try {
          from.close();
          to.close();
        } catch (IOException ignored) {
          // already closed
        }
      }
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }
}
