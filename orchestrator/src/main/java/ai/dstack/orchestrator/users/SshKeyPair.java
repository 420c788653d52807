package ai.dstack.orchestrator.users;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;

/**
 * An SSH key pair as dstack's server makes one for each user and project: RSA 2048, the private key
 * as PKCS#8 PEM, the public key in OpenSSH form followed by a comment and a newline.
 *
 * @param publicKey {@code "ssh-rsa AAAA... <comment>\n"}
 * @param privateKey {@code "-----BEGIN PRIVATE KEY-----\n..."}
 */
public record SshKeyPair(String publicKey, String privateKey) {

  /** Key pairs being generated ahead of their use ({@link #generateAhead}), taken in order. */
  private static final Queue<CompletableFuture<KeyPair>> AHEAD = new ConcurrentLinkedQueue<>();

  /**
   * Starts generating {@code count} key pairs in the background, each on its own thread, for the
   * next calls of {@link #generate}: a first start makes two (the admin's and the {@code main}
   * project's), and RSA key generation takes up to a second or more each on a small machine, which
   * then overlaps the rest of start-up instead of adding to it. Each pair is still used once.
   */
  public static void generateAhead(int count) {
    for (int i = 0; i < count; i++) {
      var pair = new CompletableFuture<KeyPair>();
      AHEAD.add(pair);
      Thread.ofPlatform()
          .daemon()
          .name("ssh-keygen-ahead")
          .start(
              () -> {
                try {
                  pair.complete(newPair());
                } catch (RuntimeException e) {
                  pair.completeExceptionally(e);
                }
              });
    }
  }

  /** A new key pair whose public key carries {@code comment} (dstack: the username). */
  public static SshKeyPair generate(String comment) {
    KeyPair pair = null;
    var ahead = AHEAD.poll();
    if (ahead != null) {
      try {
        pair = ahead.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException e) {
        // generated below instead
      }
    }
    if (pair == null) {
      pair = newPair();
    }
    String pem =
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(pair.getPrivate().getEncoded())
            + "\n-----END PRIVATE KEY-----\n";
    return new SshKeyPair(openSsh((RSAPublicKey) pair.getPublic()) + " " + comment + "\n", pem);
  }

  private static KeyPair newPair() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      return generator.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has RSA", e);
    }
  }

  private static String openSsh(RSAPublicKey key) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      writeString(out, "ssh-rsa".getBytes(StandardCharsets.US_ASCII));
      writeString(out, key.getPublicExponent().toByteArray());
      writeString(out, key.getModulus().toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return "ssh-rsa " + Base64.getEncoder().encodeToString(bytes.toByteArray());
  }

  // RFC 4253: a string and an mpint are both a uint32 length and the bytes (BigInteger's two's
  // complement bytes are already an mpint).
  private static void writeString(DataOutputStream out, byte[] value) throws IOException {
    out.writeInt(value.length);
    out.write(value);
  }

  @Override
  public String toString() {
    return "SshKeyPair[" + publicKey.strip() + "]";
  }
}
