package ai.dstack.orchestrator.temporal;

import io.grpc.netty.shaded.io.netty.handler.ssl.SslContext;
import io.temporal.serviceclient.SimpleSslContextBuilder;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/**
 * How the server reaches an existing Temporal cluster securely: TLS (trusting the system's CAs or
 * the given ones), mutual TLS with a client certificate, and an API key. Bad settings stop start-up
 * with a message naming the setting and what it needs; the message is complete on its own, since
 * start-up prints the deepest cause only.
 */
final class TemporalTls {
  private TemporalTls() {}

  /** Adds {@code settings}' TLS and API key to {@code options}; nothing when they ask for none. */
  static void apply(TemporalSettings settings, WorkflowServiceStubsOptions.Builder options) {
    var tls = settings.tls();
    if (!tls.used() && settings.apiKey() == null) {
      return;
    }
    if (!settings.external()) {
      throw new IllegalArgumentException(
          "DSTACK_TEMPORAL_TLS, its files and DSTACK_TEMPORAL_API_KEY are for an existing cluster"
              + " (DSTACK_TEMPORAL_ADDRESS); the embedded dev server speaks plain gRPC on the"
              + " loopback: unset them, or set DSTACK_TEMPORAL_ADDRESS");
    }
    options.setSslContext(sslContext(tls));
    if (tls.serverName() != null && !tls.serverName().isBlank()) {
      var serverName = tls.serverName().strip();
      options.setChannelInitializer(channel -> channel.overrideAuthority(serverName));
    }
    if (settings.apiKey() != null) {
      var apiKey = settings.apiKey();
      options.addApiKey(() -> apiKey);
    }
  }

  /** The client's TLS context: its certificate and key when given, the CAs it trusts. */
  static SslContext sslContext(TemporalSettings.Tls tls) {
    if ((tls.clientCert() == null) != (tls.clientKey() == null)) {
      throw new IllegalArgumentException(
          "DSTACK_TEMPORAL_TLS_CLIENT_CERT and DSTACK_TEMPORAL_TLS_CLIENT_KEY go together: set both"
              + " for mutual TLS, or neither");
    }
    SimpleSslContextBuilder builder;
    if (tls.clientCert() == null) {
      builder = SimpleSslContextBuilder.noKeyOrCertChain();
    } else {
      builder =
          SimpleSslContextBuilder.forPKCS8(
              read(tls.clientCert(), "DSTACK_TEMPORAL_TLS_CLIENT_CERT"),
              read(tls.clientKey(), "DSTACK_TEMPORAL_TLS_CLIENT_KEY"));
    }
    if (tls.caCert() != null) {
      builder.setTrustManager(trusting(tls.caCert()));
    }
    try {
      return builder.build();
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "DSTACK_TEMPORAL_TLS_CLIENT_CERT "
              + tls.clientCert()
              + " and DSTACK_TEMPORAL_TLS_CLIENT_KEY "
              + tls.clientKey()
              + " are not a PEM certificate and its PKCS#8 PEM key ("
              + e.getMessage()
              + "); a key in another form converts with `openssl pkcs8 -topk8 -nocrypt -in KEY"
              + " -out KEY.pk8`");
    }
  }

  /** A trust manager that trusts the PEM certificates in {@code caCert} and nothing else. */
  private static TrustManager trusting(Path caCert) {
    try (var in = read(caCert, "DSTACK_TEMPORAL_TLS_CA_CERT")) {
      var certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
      if (certificates.isEmpty()) {
        throw new IllegalArgumentException(
            "DSTACK_TEMPORAL_TLS_CA_CERT " + caCert + " holds no PEM certificate");
      }
      var store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (var certificate : certificates) {
        store.setCertificateEntry("ca-" + i++, (X509Certificate) certificate);
      }
      var factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      return factory.getTrustManagers()[0];
    } catch (CertificateException e) {
      throw new IllegalArgumentException(
          "DSTACK_TEMPORAL_TLS_CA_CERT "
              + caCert
              + " is not a file of PEM certificates: "
              + e.getMessage());
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("cannot trust " + caCert + ": " + e.getMessage());
    }
  }

  private static InputStream read(Path file, String setting) {
    try {
      return new ByteArrayInputStream(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new IllegalArgumentException(
          setting + " names " + file + ", which cannot be read: " + e.getMessage());
    }
  }
}
