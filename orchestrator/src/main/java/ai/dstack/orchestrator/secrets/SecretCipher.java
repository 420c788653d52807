package ai.dstack.orchestrator.secrets;

import ai.dstack.orchestrator.server.ServerSettings;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.stereotype.Component;

/**
 * Encrypts values for storage with AES-256-GCM: a random 96-bit nonce per value, and a context
 * (which secret this is) as associated data, so a value copied onto another row fails to decrypt.
 * Stored as dstack's packed format, {@code enc:aes:<key id>:<base64 of nonce, ciphertext, tag>}.
 *
 * <p>The key is {@code DSTACK_SERVER_ENCRYPTION_KEY}, checked at start-up; without it, the one in
 * {@code <server dir>/encryption-key}, read or generated on first use.
 */
@Component
@EnableConfigurationProperties(EncryptionSettings.class)
class SecretCipher {

  private static final String PREFIX = "enc:aes:";
  private static final String TRANSFORMATION = "AES/GCM/NoPadding";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final EncryptionSettings settings;
  private final ServerSettings server;
  private volatile EncryptionKey key;

  SecretCipher(EncryptionSettings settings, ServerSettings server) {
    this.settings = settings;
    this.server = server;
    if (settings.keyGiven()) {
      key = EncryptionKey.fromBase64(settings.key(), "DSTACK_SERVER_ENCRYPTION_KEY");
    }
  }

  /** {@code plaintext} encrypted, bound to {@code context}, as it is stored. */
  String encrypt(String plaintext, String context) {
    EncryptionKey current = key();
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance(TRANSFORMATION);
      cipher.init(Cipher.ENCRYPT_MODE, current.secretKey(), new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
      byte[] packed =
          ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array();
      return PREFIX + current.id() + ":" + Base64.getEncoder().encodeToString(packed);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM failed to encrypt", e);
    }
  }

  /**
   * The plaintext of a stored value encrypted with {@code context}.
   *
   * @throws CannotDecryptException when another key wrote it, or it was altered or moved
   */
  String decrypt(String stored, String context) {
    EncryptionKey current = key();
    String[] parts = stored.split(":", 4);
    if (parts.length != 4 || !stored.startsWith(PREFIX)) {
      throw new CannotDecryptException("it is not stored as enc:aes:<key id>:<value>");
    }
    if (!parts[2].equals(current.id())) {
      throw new CannotDecryptException(
          "it was encrypted with key "
              + parts[2]
              + ", and this server's key is "
              + current.id()
              + " ("
              + keySource()
              + ")");
    }
    try {
      byte[] packed = Base64.getDecoder().decode(parts[3]);
      if (packed.length < NONCE_BYTES + TAG_BITS / 8) {
        throw new CannotDecryptException("it is too short to be AES-GCM");
      }
      Cipher cipher = Cipher.getInstance(TRANSFORMATION);
      cipher.init(
          Cipher.DECRYPT_MODE,
          current.secretKey(),
          new GCMParameterSpec(TAG_BITS, packed, 0, NONCE_BYTES));
      cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
      byte[] plain = cipher.doFinal(packed, NONCE_BYTES, packed.length - NONCE_BYTES);
      return new String(plain, StandardCharsets.UTF_8);
    } catch (AEADBadTagException | IllegalArgumentException e) {
      throw new CannotDecryptException("it was altered, or belongs to another secret");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM failed to decrypt", e);
    }
  }

  private EncryptionKey key() {
    EncryptionKey current = key;
    if (current == null) {
      synchronized (this) {
        if (key == null) {
          key = EncryptionKey.loadOrCreate(server.dir().resolve(EncryptionKey.FILE_NAME));
        }
        current = key;
      }
    }
    return current;
  }

  private String keySource() {
    return settings.keyGiven()
        ? "DSTACK_SERVER_ENCRYPTION_KEY"
        : server.dir().resolve(EncryptionKey.FILE_NAME).toString();
  }

  /** A stored value this server cannot decrypt; the message says why, never the value. */
  static final class CannotDecryptException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CannotDecryptException(String reason) {
      super(reason, null, false, false);
    }
  }
}
