package ai.dstack.core.api.projects;

import java.util.Map;

/**
 * A backend configured in a project, without its credentials.
 *
 * @param name the backend type, e.g. {@code aws}
 * @param config its configuration, as dstack's backend models write it
 */
public record BackendInfo(String name, Map<String, Object> config) {}
