package ai.dstack.orchestrator.secrets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An AES-256 key and its id: the first 8 hex digits of the key's SHA-256, which every value
 * encrypted with it names, so a value written with another key is reported as such.
 */
final class EncryptionKey {

  private static final Logger log = LoggerFactory.getLogger(EncryptionKey.class);

  /** The key file's name in the server dir. */
  static final String FILE_NAME = "encryption-key";

  private static final int BYTES = 32;
  private static final String HOW_TO_MAKE_ONE = "make a key with: openssl rand -base64 32";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private final SecretKey secretKey;
  private final String id;

  private EncryptionKey(byte[] bytes) {
    this.secretKey = new SecretKeySpec(bytes, "AES");
    this.id = fingerprint(bytes);
  }

  /**
   * The key in {@code base64}, from {@code source} (named in the error).
   *
   * @throws IllegalStateException when it is not base64 of 32 bytes
   */
  static EncryptionKey fromBase64(String base64, String source) {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(base64.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(source + " is not base64; " + HOW_TO_MAKE_ONE);
    }
    if (bytes.length != BYTES) {
      throw new IllegalStateException(
          source + " holds " + bytes.length + " bytes, not 32 (AES-256); " + HOW_TO_MAKE_ONE);
    }
    return new EncryptionKey(bytes);
  }

  /**
   * The key kept in {@code file}; a new random one, written readable by its owner only, when there
   * is none yet.
   */
  static EncryptionKey loadOrCreate(Path file) {
    try {
      if (Files.exists(file)) {
        warnIfOthersMayRead(file);
        return fromBase64(Files.readString(file), file.toString());
      }
      byte[] bytes = new byte[BYTES];
      RANDOM.nextBytes(bytes);
      Files.createDirectories(file.getParent());
      // Written whole under another name, then renamed: a crash never leaves a half-written key.
      Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
      Files.deleteIfExists(tmp);
      Files.createFile(tmp, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      Files.writeString(tmp, Base64.getEncoder().encodeToString(bytes) + "\n");
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      EncryptionKey key = new EncryptionKey(bytes);
      log.info(
          "Generated the key that encrypts secrets ({}), in {}. Back it up: secrets cannot be read"
              + " without it. Servers sharing a database must share it"
              + " (DSTACK_SERVER_ENCRYPTION_KEY).",
          key.id(),
          file);
      return key;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the encryption key in " + file, e);
    }
  }

  /** The JCA key. */
  SecretKey secretKey() {
    return secretKey;
  }

  /** The key's id, 8 hex digits, stored beside each value it encrypts. */
  String id() {
    return id;
  }

  @Override
  public String toString() {
    return "EncryptionKey[" + id + "]";
  }

  private static void warnIfOthersMayRead(Path file) throws IOException {
    try {
      if (!OWNER_ONLY.containsAll(Files.getPosixFilePermissions(file))) {
        log.warn("{} may be read by others than its owner; chmod 600 it", file);
      }
    } catch (UnsupportedOperationException e) {
      // Not a POSIX file system: nothing to check.
    }
  }

  private static String fingerprint(byte[] bytes) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
      return HexFormat.of().formatHex(digest, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
