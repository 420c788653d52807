package ai.dstack.orchestrator.projects;

import ai.dstack.core.api.users.ProjectRole;
import ai.dstack.orchestrator.persistence.Keyset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The projects list of {@code projects/list} (what a caller may see, filtered, paged), and the
 * project lookup of every request in a project.
 */
interface ProjectListing {

  /**
   * What a {@code projects/list} call selects.
   *
   * @param visibleTo the caller, when not a global admin: only their projects, and public ones when
   *     {@code includeNotJoined}; null for a global admin (every project)
   * @param includeNotJoined with {@code visibleTo}: also public projects they did not join
   * @param ownerOrMember only projects this user owns or belongs to, or null
   * @param namePattern only names containing this (case-insensitive), or null
   */
  record Filter(UUID visibleTo, boolean includeNotJoined, UUID ownerOrMember, String namePattern) {}

  /** One page of live projects that pass the filter. */
  List<ProjectEntity> findPage(Filter filter, Keyset keyset);

  /** How many live projects pass the filter, ignoring paging. */
  long countMatching(Filter filter);

  /**
   * A live project by name (case-insensitively) with the role {@code userId} holds in it: one plain
   * query, as nearly every request makes it.
   */
  Optional<Membership> findMembership(String name, UUID userId);

  /**
   * A project and a user's role in it.
   *
   * @param role the user's role, or null when they are not a member
   */
  record Membership(ProjectAccess.ProjectRef project, ProjectRole role) {}
}
