package ai.dstack.core.agents.runner;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The answer of {@link RunnerApi#RUN}: where and as whom the job runs, resolved by the runner.
 *
 * @param workingDir the job's absolute working dir
 * @param username the OS user the job runs as
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record JobInfoResponse(String workingDir, String username) {}
