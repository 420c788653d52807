/** Projects and their members: {@code /api/projects}, storage, and dstack's project roles. */
package ai.dstack.orchestrator.projects;
