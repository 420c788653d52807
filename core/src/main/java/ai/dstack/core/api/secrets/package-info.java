/** {@code /api/project/{project}/secrets}: a project's named secrets. */
package ai.dstack.core.api.secrets;
