package ai.dstack.core.api.users;

/**
 * What a user may do beyond their roles.
 *
 * @param canCreateProjects whether the user may create projects
 */
public record UserPermissions(boolean canCreateProjects) {}
