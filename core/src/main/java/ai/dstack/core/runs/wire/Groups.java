package ai.dstack.core.runs.wire;

import ai.dstack.core.configurations.NodeGroup;
import ai.dstack.core.configurations.ReplicaGroup;
import ai.dstack.core.configurations.ServiceConfiguration;
import ai.dstack.core.configurations.TaskConfiguration;
import ai.dstack.core.resources.Range;
import ai.dstack.core.resources.ResourcesSpec;
import java.util.List;

/**
 * The groups a run's jobs are made in, as dstack sees them: a task's node groups and a service's
 * replica groups, one group named {@code "0"} standing for the whole configuration when it has no
 * {@code groups} (dstack's {@code node_groups} and {@code replica_groups}).
 */
final class Groups {
  private Groups() {}

  /** The name of the group a configuration without groups stands for. */
  static final String DEFAULT_NAME = "0";

  static List<NodeGroup> nodeGroups(TaskConfiguration task) {
    if (task.groups() != null) {
      return task.groups();
    }
    return List.of(
        new NodeGroup(
            DEFAULT_NAME,
            task.nodes() != null ? task.nodes() : 1,
            resources(task.run().resources()),
            task.commands(),
            task.ports()));
  }

  static List<ReplicaGroup> replicaGroups(ServiceConfiguration service) {
    if (service.groups() != null) {
      return service.groups();
    }
    var replicas = service.replicas() != null ? service.replicas() : Range.exactly(1L);
    return List.of(
        new ReplicaGroup(
            DEFAULT_NAME,
            replicas,
            service.scaling(),
            resources(service.run().resources()),
            null,
            null,
            service.commands(),
            null,
            null,
            null,
            null,
            null,
            null));
  }

  static ResourcesSpec resources(ResourcesSpec resources) {
    return resources == null ? ResourcesSpec.DEFAULT : resources;
  }

  /** The replicas a group starts with: its minimum (dstack reads a missing minimum as 0). */
  static long minReplicas(ReplicaGroup group) {
    var replicas = group.replicas();
    return replicas == null || replicas.min() == null ? 0 : replicas.min();
  }
}
