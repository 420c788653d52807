package ai.dstack.core.agents.runner;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A file archive uploaded with {@link RunnerApi#UPLOAD_ARCHIVE} and where it goes (dstack's {@code
 * FileArchiveMapping}).
 *
 * @param id the archive id, the file name of the upload
 * @param path where the archive's single top-level entry is extracted; relative paths are resolved
 *     against the working dir, {@code ~} against the job user's home
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record FileArchiveMapping(String id, String path) {}
