package ai.dstack.core.api.projects;

/**
 * What a member may do in a project beyond their role.
 *
 * @param canManageSshFleets whether the member may add and delete SSH fleets
 * @param canManageSecrets whether the member may see and change the project's secrets
 */
public record MemberPermissions(boolean canManageSshFleets, boolean canManageSecrets) {}
