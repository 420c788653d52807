package ai.dstack.orchestrator.projects;

import java.util.UUID;

/** What other features hear about projects, inside the transaction that changed them. */
public final class ProjectEvents {
  private ProjectEvents() {}

  /**
   * A project was created.
   *
   * @param projectId its id
   * @param name its name
   */
  public record ProjectCreated(UUID projectId, String name) {}
}
