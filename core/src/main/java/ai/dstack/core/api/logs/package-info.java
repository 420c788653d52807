/** {@code /api/project/{p}/logs/poll}: a job submission's log, a page at a time. */
package ai.dstack.core.api.logs;
