package ai.dstack.orchestrator.secrets;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where the key that encrypts secrets at rest comes from.
 *
 * @param key {@code DSTACK_SERVER_ENCRYPTION_KEY}: an AES-256 key, 32 bytes in base64 (e.g. from
 *     {@code openssl rand -base64 32}); servers that share a database must share it. Without it the
 *     server generates a key on first use and keeps it in {@code <server dir>/encryption-key}.
 */
@ConfigurationProperties("dstack.server.encryption")
record EncryptionSettings(String key) {

  /** Whether a key was given, rather than kept in the server dir. */
  boolean keyGiven() {
    return key != null && !key.isBlank();
  }
}
