package ai.dstack.orchestrator.runs;

import java.time.Instant;
import java.util.UUID;

/**
 * A run as stored: what apply wrote, and the status its workflow projected.
 *
 * @param id the run's id
 * @param projectId its project
 * @param projectName its project's name
 * @param runName its name
 * @param userId who submitted it
 * @param username their name
 * @param submittedAt when
 * @param runSpec the run spec JSON as the client sent it, with the server's defaults
 * @param workflowId its run workflow
 * @param fleetName the fleet it is placed on
 * @param priority its priority
 * @param status its status ({@code RunStatus} value)
 * @param statusMessage its status message
 * @param terminationReason its termination reason value, or null
 * @param error its error, or null
 * @param resubmissionAttempt how many times in a row it went pending to be resubmitted
 * @param updatedAt when its status last changed
 * @param deleted whether it was deleted
 */
record RunRow(
    UUID id,
    UUID projectId,
    String projectName,
    String runName,
    UUID userId,
    String username,
    Instant submittedAt,
    String runSpec,
    String workflowId,
    String fleetName,
    int priority,
    String status,
    String statusMessage,
    String terminationReason,
    String error,
    int resubmissionAttempt,
    Instant updatedAt,
    boolean deleted) {}
