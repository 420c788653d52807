package ai.dstack.core.agents.runner;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The OS user a job runs as (dstack's {@code UnixUser}, from {@code user: name[:group]} or the
 * image's {@code USER}). Either {@code uid} or {@code username} is set; {@code null} values mean
 * "look it up" or "the user's primary group".
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record UnixUser(Integer uid, Integer gid, String username, String groupname) {}
