package ai.dstack.core.agents.shim;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * How far the image pull of a task has got.
 *
 * @param totalBytes the layers' size as known so far (cached layers not counted)
 * @param isTotalBytesFinal whether every layer's size is known, so {@code totalBytes} is final
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ImagePullProgress(
    long downloadedBytes, long extractedBytes, long totalBytes, boolean isTotalBytesFinal) {}
