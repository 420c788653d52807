package ai.dstack.orchestrator.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.orchestrator.server.ServerSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** AES-256-GCM at rest: the stored format, the key's two sources, and what fails to decrypt. */
class SecretCipherTest {

  private static final String GIVEN_KEY =
      Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());

  @TempDir Path serverDir;

  @Test
  void roundTripsAnyTextInDstacksPackedFormat() {
    SecretCipher cipher = cipher(null);
    String plaintext = "p@ss: wörd ✓ 🔑\nline two";

    String stored = cipher.encrypt(plaintext, "secrets/p/name");

    assertTrue(stored.matches("enc:aes:[0-9a-f]{8}:[A-Za-z0-9+/=]+"), stored);
    assertFalse(stored.contains("p@ss"));
    assertEquals(plaintext, cipher.decrypt(stored, "secrets/p/name"));
  }

  @Test
  void aFreshNonceMakesEqualValuesLookDifferent() {
    SecretCipher cipher = cipher(null);

    String first = cipher.encrypt("same", "c");
    String second = cipher.encrypt("same", "c");

    assertNotEquals(first, second);
    assertNotEquals(nonce(first), nonce(second));
  }

  @Test
  void generatesAnOwnerOnlyKeyFileOnFirstUseAndReadsItOnTheNextStart() throws Exception {
    Path keyFile = serverDir.resolve("encryption-key");
    SecretCipher first = cipher(null);
    assertFalse(Files.exists(keyFile), "the key is made on first use, not at start-up");

    String stored = first.encrypt("value", "c");

    assertEquals(
        "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile)));
    assertEquals(32, Base64.getDecoder().decode(Files.readString(keyFile).strip()).length);
    assertEquals("value", cipher(null).decrypt(stored, "c"));
  }

  @Test
  void aGivenKeyIsUsedAndNoKeyFileIsWritten() {
    SecretCipher given = cipher(GIVEN_KEY);

    String stored = given.encrypt("value", "c");

    assertEquals("value", cipher(GIVEN_KEY).decrypt(stored, "c"));
    assertFalse(Files.exists(serverDir.resolve("encryption-key")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"not base64!", "c2hvcnQ="})
  void aGivenKeyThatIsNotBase64Of32BytesStopsStartUp(String key) {
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> cipher(key));

    assertTrue(e.getMessage().startsWith("DSTACK_SERVER_ENCRYPTION_KEY"), e.getMessage());
    assertTrue(e.getMessage().contains("openssl rand -base64 32"), e.getMessage());
    assertFalse(e.getMessage().contains(key), "the message must not echo the key");
  }

  @Test
  void aValueWrittenWithAnotherKeyNamesBothKeys() {
    String stored = cipher(GIVEN_KEY).encrypt("value", "c");
    SecretCipher other = cipher(null);

    SecretCipher.CannotDecryptException e =
        assertThrows(SecretCipher.CannotDecryptException.class, () -> other.decrypt(stored, "c"));

    assertTrue(e.getMessage().startsWith("it was encrypted with key "), e.getMessage());
    assertTrue(e.getMessage().contains(serverDir.resolve("encryption-key").toString()));
    assertFalse(e.getMessage().contains("value"));
  }

  @Test
  void aValueMovedToAnotherContextOrAlteredDoesNotDecrypt() {
    SecretCipher cipher = cipher(null);
    String stored = cipher.encrypt("value", "secrets/p/a");
    byte[] packed = Base64.getDecoder().decode(stored.substring(stored.lastIndexOf(':') + 1));
    packed[packed.length - 1] ^= 1;
    String altered =
        stored.substring(0, stored.lastIndexOf(':') + 1)
            + Base64.getEncoder().encodeToString(packed);

    assertThrows(
        SecretCipher.CannotDecryptException.class, () -> cipher.decrypt(stored, "secrets/p/b"));
    assertThrows(
        SecretCipher.CannotDecryptException.class, () -> cipher.decrypt(altered, "secrets/p/a"));
    assertThrows(
        SecretCipher.CannotDecryptException.class, () -> cipher.decrypt("value", "secrets/p/a"));
  }

  private SecretCipher cipher(String key) {
    return new SecretCipher(
        new EncryptionSettings(key), new ServerSettings(serverDir, "127.0.0.1", 0, "", null, null));
  }

  private static String nonce(String stored) {
    byte[] packed = Base64.getDecoder().decode(stored.substring(stored.lastIndexOf(':') + 1));
    return new String(packed, 0, 12, StandardCharsets.ISO_8859_1);
  }
}
