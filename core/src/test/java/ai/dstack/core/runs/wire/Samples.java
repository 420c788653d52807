package ai.dstack.core.runs.wire;

import ai.dstack.core.json.Json;
import ai.dstack.core.runs.InstanceOffer;
import ai.dstack.core.runs.InstanceResources;
import ai.dstack.core.runs.JobStatus;
import ai.dstack.core.runs.JobTerminationReason;
import ai.dstack.core.runs.ProvisioningAttempt;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Runs, jobs and offers as the server would make them, for tests. */
final class Samples {
  private Samples() {}

  static final Instant T0 = Instant.parse("2026-03-01T10:00:00.123456Z");
  static final String USER_KEY = RunWireOracleTest.USER_KEY;

  static final String TASK_SPEC =
      """
      {"run_name": null, "repo_id": "none", "repo_data": {"repo_type": "virtual"},
       "repo_code_hash": null, "repo_dir": null, "file_archives": [], "working_dir": null,
       "configuration_path": "task.dstack.yml",
       "configuration": {"type": "task", "nodes": 2, "python": "3.11",
         "commands": ["python train.py"], "env": {"A": "1"}, "ports": [{"local_port": null,
         "container_port": 8080}], "resources": {"gpu": {"vendor": null, "name": ["A100"],
         "count": {"min": 1, "max": 1}, "memory": null, "total_memory": null,
         "compute_capability": null}}, "retry": true, "max_duration": 3600},
       "profile": {"name": "default", "default": false}, "ssh_key_pub": null}
      """;

  static JsonNode json(String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** The task spec with defaults, named. */
  static RunSpec taskSpec(String name) {
    return RunSpecs.withRunName(
        RunSpecs.withDefaults(RunSpecs.parse(json(TASK_SPEC)), USER_KEY), name);
  }

  static InstanceOffer coreOffer(int blocks, int totalBlocks) {
    return new InstanceOffer(
        "local",
        "host",
        new InstanceResources(
            16, 65536, List.of(new InstanceResources.Gpu("nvidia", "A100", 40960)), 102400, false),
        "local",
        0.0,
        "idle",
        blocks,
        totalBlocks,
        "default",
        "3b9a3b6e-0a5f-4f0e-9b7e-2a7f3c1d9e10",
        "default-0");
  }

  static InstanceOfferWithAvailability offer() {
    return InstanceOfferWithAvailability.of(coreOffer(1, 1), "x86");
  }

  static JobProvisioningData provisioning(String internalIp) {
    return new JobProvisioningData(
        BackendTypes.toWire("local"),
        null,
        offer().instance(),
        "default-0",
        "127.0.0.1",
        internalIp,
        true,
        null,
        "local",
        null,
        null,
        1.25,
        "ubuntu",
        22,
        true,
        null,
        null,
        new JobProvisioningData.GpuDriverInfo("nvidia", "550.54"));
  }

  /** A submission of the job in this status, provisioned unless submitted. */
  static JobSubmission submission(
      int submissionNum, JobStatus status, JobTerminationReason reason, Integer exitStatus) {
    var provisioned =
        status != JobStatus.SUBMITTED
            && reason != JobTerminationReason.FAILED_TO_START_DUE_TO_NO_CAPACITY;
    var jrd = provisioned ? AgentRequests.jobRuntimeData(offer()) : null;
    if (jrd != null && status == JobStatus.RUNNING) {
      jrd =
          new JobRuntimeData(
              jrd.networkMode(),
              null,
              null,
              null,
              Map.of(10022, 10022),
              List.of(),
              jrd.offer(),
              "/workflow",
              "root");
    }
    var attempt =
        new ProvisioningAttempt(
            1,
            coreOffer(1, 1),
            T0.plusSeconds(1),
            T0.plusSeconds(2),
            provisioned,
            provisioned ? "placed on default-0" : "no offers");
    return JobSubmission.of(
        UUID.randomUUID(),
        submissionNum,
        0,
        T0.plusSeconds(60L * submissionNum),
        T0.plusSeconds(60L * submissionNum + 30),
        status,
        reason,
        reason == JobTerminationReason.FAILED_TO_START_DUE_TO_NO_CAPACITY
            ? "No matching fleet found"
            : null,
        exitStatus,
        provisioned ? provisioning("10.0.0." + (submissionNum + 2)) : null,
        jrd,
        List.of(attempt));
  }
}
