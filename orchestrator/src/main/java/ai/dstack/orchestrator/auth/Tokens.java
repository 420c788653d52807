package ai.dstack.orchestrator.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;

/** Bearer tokens: dstack's form (a random UUID v4), and the hash that is all the server keeps. */
public final class Tokens {
  private Tokens() {}

  /** A new random token. */
  public static String generate() {
    return UUID.randomUUID().toString();
  }

  /** The SHA-256 of the token, lowercase hex: what the database stores and looks up. */
  public static String hash(String token) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha256.digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
