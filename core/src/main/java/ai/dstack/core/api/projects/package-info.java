/** {@code /api/projects}: projects and their members. */
package ai.dstack.core.api.projects;
