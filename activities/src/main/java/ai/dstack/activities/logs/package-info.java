/**
 * The log store: job and runner output of every job submission, appended by the follow activity and
 * read by the server's {@code logs/poll} with dstack's paging ({@link
 * ai.dstack.activities.logs.LogStore}, {@link ai.dstack.activities.logs.FileLogStore}).
 *
 * <p>Depends on core only.
 */
package ai.dstack.activities.logs;
