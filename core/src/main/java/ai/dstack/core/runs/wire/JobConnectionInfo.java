package ai.dstack.core.runs.wire;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * How to reach a running job, dstack's {@code JobConnectionInfo} (set on running jobs by {@code
 * runs/get}). With {@code sshproxy_hostname} and {@code sshproxy_upstream_id} set, the CLI attaches
 * through that SSH proxy as {@code <upstream_id>} instead of the instance's host.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record JobConnectionInfo(
    String ideName,
    String attachedIdeUrl,
    String proxiedIdeUrl,
    List<String> attachedSshCommand,
    List<String> proxiedSshCommand,
    String sshproxyHostname,
    Integer sshproxyPort,
    String sshproxyUpstreamId) {

  public JobConnectionInfo {
    attachedSshCommand = attachedSshCommand == null ? null : List.copyOf(attachedSshCommand);
    proxiedSshCommand = proxiedSshCommand == null ? null : List.copyOf(proxiedSshCommand);
  }
}
