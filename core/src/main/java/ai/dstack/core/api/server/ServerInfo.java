package ai.dstack.core.api.server;

/**
 * The answer of {@code POST /api/server/get_info}.
 *
 * @param serverVersion the dstack version whose API the server speaks
 */
public record ServerInfo(String serverVersion) {}
