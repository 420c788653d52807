package ai.dstack.orchestrator.gpus;

import ai.dstack.core.api.gpus.ListGpusResponse;
import ai.dstack.core.runs.wire.JobSpec;
import ai.dstack.core.runs.wire.JobSpecs;
import ai.dstack.core.runs.wire.RunSpecs;
import ai.dstack.orchestrator.api.ApiException;
import ai.dstack.orchestrator.auth.Caller;
import ai.dstack.orchestrator.projects.ProjectAccess;
import ai.dstack.orchestrator.runs.RunPlacement;
import ai.dstack.orchestrator.users.UserRepository;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Service;

/**
 * {@code gpus/list}: the offers of the run spec's first job (replica 0), as {@code runs/get_plan}
 * finds them, grouped by {@link GpuGroups}; CPU groups instead when the spec allows no GPU.
 */
@Service
class GpusService {
  /**
   * The key of a spec that has none, for a user who has none: offers need no key (dstack's {@code
   * gpus/list} asks for none), and this one never leaves the request.
   */
  private static final String NO_KEY = "ssh-ed25519 (offers only, no key)";

  private final ProjectAccess access;
  private final RunPlacement placement;
  private final JobSpecs.Settings jobSettings;
  private final UserRepository users;

  GpusService(
      ProjectAccess access,
      RunPlacement placement,
      JobSpecs.Settings jobSettings,
      UserRepository users) {
    this.access = access;
    this.placement = placement;
    this.jobSettings = jobSettings;
    this.users = users;
  }

  ListGpusResponse list(Caller caller, String projectName, JsonNode request) {
    var project = access.member(caller, projectName);
    var specNode = request == null ? null : request.get("run_spec");
    if (specNode == null || specNode.isNull()) {
      throw ApiException.badRequest("run_spec is required");
    }
    Set<String> groupBy;
    try {
      groupBy = GpuGroups.groupBy(strings(request.get("group_by")));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    boolean reverse = request.path("reverse").asBoolean(false);
    // As dstack: neither a key nor secrets are needed to find offers.
    var key =
        users
            .findById(caller.userId())
            .map(u -> u.sshPublicKey())
            .filter(k -> !k.isBlank())
            .orElse(NO_KEY);
    List<JobSpec> jobs =
        ApiException.readingClientSpec(
            () ->
                JobSpecs.forPlan(
                    RunSpecs.withDefaults(RunSpecs.parse(specNode), key), jobSettings, Map.of()));
    if (jobs.isEmpty()) {
      return new ListGpusResponse(List.of(), null);
    }
    var job = jobs.getFirst();
    var offers = placement.planOffers(project.name(), job);
    var gpu = job.requirements().resources().gpu();
    if (gpu != null && gpu.count() != null && Long.valueOf(0).equals(gpu.count().max())) {
      return new ListGpusResponse(List.of(), GpuGroups.cpus(offers, groupBy, reverse));
    }
    return new ListGpusResponse(GpuGroups.gpus(offers, groupBy, reverse), null);
  }

  private static List<String> strings(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isArray()) {
      throw ApiException.badRequest("group_by must be a list of backend, region and count");
    }
    var values = new ArrayList<String>();
    node.forEach(item -> values.add(item.asText()));
    return values;
  }
}
