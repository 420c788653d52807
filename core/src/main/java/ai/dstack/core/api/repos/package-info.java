/** {@code /api/project/{p}/repos}: the repos runs take their code from. */
package ai.dstack.core.api.repos;
