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

/**
 * An SSH key pair as dstack's server makes one for each user and project: RSA 2048, the private key
 * as PKCS#8 PEM, the public key in OpenSSH form followed by a comment and a newline.
 *
 * @param publicKey {@code "ssh-rsa AAAA... <comment>\n"}
 * @param privateKey {@code "-----BEGIN PRIVATE KEY-----\n..."}
 */
public record SshKeyPair(String publicKey, String privateKey) {

  /** A new key pair whose public key carries {@code comment} (dstack: the username). */
  public static SshKeyPair generate(String comment) {
    KeyPair pair;
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      pair = generator.generateKeyPair();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has RSA", e);
    }
    String pem =
        "-----BEGIN PRIVATE KEY-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(pair.getPrivate().getEncoded())
            + "\n-----END PRIVATE KEY-----\n";
    return new SshKeyPair(openSsh((RSAPublicKey) pair.getPublic()) + " " + comment + "\n", pem);
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
