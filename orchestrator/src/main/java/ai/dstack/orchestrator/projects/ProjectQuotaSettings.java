package ai.dstack.orchestrator.projects;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How many projects a user who is not a global admin may own.
 *
 * @param quota {@code DSTACK_USER_PROJECT_DEFAULT_QUOTA} (default 10, as dstack's)
 */
@ConfigurationProperties("dstack.user.project.default")
record ProjectQuotaSettings(int quota) {}
