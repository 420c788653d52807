package ai.dstack.core.agents.shim;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The job container's network: the host's (dstack's default) or a bridge. */
public enum NetworkMode {
  @JsonProperty("host")
  HOST,
  @JsonProperty("bridge")
  BRIDGE
}
