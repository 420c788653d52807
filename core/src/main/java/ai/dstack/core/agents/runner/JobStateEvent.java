package ai.dstack.core.agents.runner;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A change of the job's state.
 *
 * @param timestamp the event's place in the runner's single event order (milliseconds since the
 *     epoch, made strictly increasing)
 * @param state the new state
 * @param terminationReason why the job ended; {@code null} while it runs
 * @param terminationMessage what went wrong, for people; {@code null} when nothing did
 * @param exitStatus the exit status of the job's process, when it exited by itself
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record JobStateEvent(
    long timestamp,
    JobState state,
    TerminationReason terminationReason,
    String terminationMessage,
    Integer exitStatus) {}
