package ai.dstack.orchestrator.persistence;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Which database the server uses.
 *
 * @param url {@code DSTACK_DATABASE_URL}: empty for SQLite under the server dir, or dstack's form
 *     {@code postgresql://user:password@host:port/database} (a {@code +driver} suffix on the scheme
 *     and {@code jdbc:} URLs are accepted too)
 */
@ConfigurationProperties("dstack.database")
public record DatabaseSettings(String url) {}
