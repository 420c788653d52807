package ai.dstack.core.runs.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.core.json.Json;
import ai.dstack.core.runs.JobStatus;
import ai.dstack.core.runs.JobTerminationReason;
import ai.dstack.core.runs.RunStatus;
import ai.dstack.core.runs.RunTerminationReason;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks that the dstack 0.22.5 client reads every response record we write, the way it reads
 * responses ({@code validate_extra_ignore} of its own pydantic models), with the values it shows;
 * and that what it sends back after a plan ({@code runs/apply}) reads back here as the same run.
 */
class RunModelsOracleTest {

  private final ArrayNode cases = Json.MAPPER.createArrayNode();

  private void add(String name, String model, Object value, Map<String, Object> checks) {
    var testCase = cases.addObject();
    testCase.put("name", name);
    testCase.put("model", model);
    testCase.set("json", Json.MAPPER.valueToTree(value));
    var list = testCase.putArray("checks");
    checks.forEach(
        (expr, equals) ->
            list.addObject().put("expr", expr).set("equals", Json.MAPPER.valueToTree(equals)));
  }

  @Test
  void clientReadsOurRunsPlansFleetsAndSubmissions(@TempDir Path dir) throws Exception {
    var specs = RunWireOracleTest.clientRunSpecs();
    var now = Samples.T0.plusSeconds(3600);
    var runs = new ArrayList<Run>();
    var random = new java.util.Random(7);
    // A running run of every valid configuration, each job with a retried and a running submission.
    for (var entry : specs.entrySet()) {
      if (entry.getKey().contains("rejected")) {
        continue;
      }
      var effective = RunSpecs.withDefaults(RunSpecs.parse(entry.getValue()), Samples.USER_KEY);
      var named =
          effective.runName() != null
              ? effective
              : RunSpecs.withRunName(effective, RunNames.generate(random, n -> false));
      var jobs =
          JobSpecs.forPlan(named, RunWireOracleTest.SETTINGS, RunWireOracleTest.SECRETS).stream()
              .map(
                  spec ->
                      new Job(
                          spec.withoutSshKey(),
                          List.of(
                              Samples.submission(
                                  0,
                                  JobStatus.FAILED,
                                  JobTerminationReason.INTERRUPTED_BY_NO_CAPACITY,
                                  null),
                              Samples.submission(1, JobStatus.RUNNING, null, null)),
                          new JobConnectionInfo(
                              null,
                              null,
                              null,
                              List.of("ssh", named.runName()),
                              null,
                              null,
                              null,
                              null)))
              .toList();
      var run =
          Run.of(
              UUID.randomUUID(),
              "main",
              "admin",
              new Run.RunFleet(UUID.randomUUID(), "default"),
              Samples.T0,
              now,
              RunStatus.RUNNING,
              null,
              named,
              jobs,
              null,
              0,
              false,
              null,
              now);
      runs.add(run);
      add(
          entry.getKey(),
          "Run",
          run,
          Map.of(
              "m.status.value",
              "running",
              "m.status_message",
              "running",
              "m.run_spec.run_name",
              named.runName(),
              "m.run_spec.ssh_key_pub",
              Samples.USER_KEY,
              "m.latest_job_submission.status.value",
              "running",
              "len(m.jobs)",
              jobs.size(),
              "m.cost",
              run.cost()));
    }
    // Every job status and termination reason, with the status message the CLI shows.
    for (var reason : JobTerminationReason.values()) {
      var submission =
          Samples.submission(
              0,
              reason.toStatus(),
              reason,
              reason == JobTerminationReason.CONTAINER_EXITED_WITH_ERROR ? 3 : null);
      add(
          "submission " + reason.value(),
          "JobSubmission",
          submission,
          Map.of(
              "m.status.value", reason.toStatus().value(),
              "m.status_message", submission.statusMessage(),
              "m.termination_reason", reason.value(),
              "m.error or ''", reason.toError() == null ? "" : reason.toError()));
    }
    for (var status : JobStatus.values()) {
      add(
          "submission " + status.value(),
          "JobSubmission",
          Samples.submission(0, status, null, null),
          Map.of("m.status_message", status.statusMessage(null, null, null)));
    }
    // Finished runs: the run fails after its jobs; cost counts to the submissions' ends.
    var spec = Samples.taskSpec("train-done");
    var doneJobs =
        JobSpecs.forSubmission(spec, RunWireOracleTest.SETTINGS, Map.of()).stream()
            .map(
                s ->
                    new Job(
                        s.withoutSshKey(),
                        List.of(
                            Samples.submission(
                                0, JobStatus.DONE, JobTerminationReason.DONE_BY_RUNNER, 0)),
                        null))
            .toList();
    for (var reason : RunTerminationReason.values()) {
      var run =
          Run.of(
              UUID.randomUUID(),
              "main",
              "admin",
              null,
              Samples.T0,
              now,
              reason.toStatus(),
              reason,
              spec,
              doneJobs,
              null,
              2,
              true,
              null,
              now);
      add(
          "run " + reason.value(),
          "Run",
          run,
          Map.of(
              "m.status.value", reason.toStatus().value(),
              "m.termination_reason", reason.value(),
              "m.status_message", reason.toStatus().value(),
              "m.latest_job_submission.status_message", "exited (0)",
              "m.deployment_num", 2,
              "m.cost", run.cost()));
    }
    // A submitted run retrying after no capacity, and one pulling.
    var retrying =
        Run.of(
            UUID.randomUUID(),
            "main",
            "admin",
            null,
            Samples.T0,
            now,
            RunStatus.SUBMITTED,
            null,
            spec,
            doneJobs.stream()
                .map(
                    j ->
                        new Job(
                            j.jobSpec(),
                            List.of(
                                Samples.submission(
                                    0,
                                    JobStatus.FAILED,
                                    JobTerminationReason.FAILED_TO_START_DUE_TO_NO_CAPACITY,
                                    null),
                                Samples.submission(1, JobStatus.SUBMITTED, null, null)),
                            null))
                .toList(),
            null,
            0,
            false,
            null,
            now);
    add(
        "run retrying",
        "Run",
        retrying,
        Map.of(
            "m.status_message", "retrying", "m.latest_job_submission.status_message", "submitted"));
    var pulling =
        Run.of(
            UUID.randomUUID(),
            "main",
            "admin",
            null,
            Samples.T0,
            now,
            RunStatus.PROVISIONING,
            null,
            spec,
            doneJobs.stream()
                .map(
                    j ->
                        new Job(
                            j.jobSpec(),
                            List.of(Samples.submission(0, JobStatus.PULLING, null, null)),
                            null))
                .toList(),
            null,
            0,
            false,
            null,
            now);
    add("run pulling", "Run", pulling, Map.of("m.status_message", "pulling"));
    // Plans: with offers, without, and with the active run as current resource.
    var current = runs.getFirst();
    var planSpec = RunSpecs.parse(specs.values().iterator().next());
    var effective = RunSpecs.withDefaults(planSpec, Samples.USER_KEY);
    var jobPlans =
        JobSpecs.forPlan(effective, RunWireOracleTest.SETTINGS, RunWireOracleTest.SECRETS).stream()
            .map(
                s ->
                    new JobPlan(
                        s.withoutSshKey(),
                        List.of(
                            Samples.offer(),
                            InstanceOfferWithAvailability.of(Samples.coreOffer(1, 4), null)),
                        2,
                        0.0))
            .toList();
    var plan =
        new RunPlan("main", "admin", planSpec, effective, jobPlans, current, ApplyAction.UPDATE);
    add(
        "plan with current resource",
        "RunPlan",
        plan,
        Map.of(
            "m.action.value",
            "update",
            "m.job_plans[0].total_offers",
            2,
            "m.job_plans[0].offers[1].total_blocks",
            4,
            "m.job_plans[0].offers[0].backend.value",
            "remote"));
    var emptyPlan =
        new RunPlan(
            "main",
            "admin",
            planSpec,
            effective,
            List.of(new JobPlan(jobPlans.getFirst().jobSpec(), List.of(), 0, null)),
            null,
            ApplyAction.CREATE);
    add("plan without offers", "RunPlan", emptyPlan, Map.of("len(m.job_plans[0].offers)", 0));
    // A fleet of one idle host.
    var instance =
        new Instance(
            UUID.randomUUID(),
            "main",
            "remote",
            Samples.offer().instance(),
            "default-0",
            UUID.randomUUID(),
            "default",
            0,
            null,
            "127.0.0.1",
            "idle",
            false,
            null,
            null,
            null,
            Samples.T0,
            null,
            "local",
            null,
            0.0,
            4,
            1,
            null);
    var fleetSpec =
        (ObjectNode)
            Samples.json(
                """
                {"configuration": {"type": "fleet", "name": "default", "ssh_config": {"user": "ubuntu",
                 "hosts": ["127.0.0.1"]}}, "configuration_path": null, "profile": {"name": "default"},
                 "autocreated": false}
                """);
    add(
        "fleet",
        "Fleet",
        new Fleet(
            UUID.randomUUID(),
            "default",
            "main",
            fleetSpec,
            Samples.T0,
            "active",
            null,
            List.of(instance)),
        Map.of("m.instances[0].status.value", "idle", "m.instances[0].backend.value", "remote"));
    add("instance", "Instance", instance, Map.of("m.busy_blocks", 1));

    var modelsFile = dir.resolve("models.json");
    var sentFile = dir.resolve("sent.json");
    Json.MAPPER.writerWithDefaultPrettyPrinter().writeValue(modelsFile.toFile(), cases);
    var result = OracleScript.run("models", modelsFile.toString(), sentFile.toString());
    System.out.println(result.output());
    assertEquals(0, result.exit(), "the dstack client does not read our JSON:\n" + result.output());
    var summary = Pattern.compile("oracle: (\\d+) models, (\\d+) parse").matcher(result.output());
    assertTrue(summary.find(), result.output());
    assertEquals(cases.size(), Integer.parseInt(summary.group(2)));

    // What the client sends back reads here as the same run and spec.
    var sent = Json.MAPPER.readTree(sentFile.toFile());
    var apply = sent.get("plan with current resource").get("plan");
    assertTrue(RunSpecs.equivalent(planSpec, RunSpecs.parse(apply.get("run_spec"))));
    var echoed = Json.MAPPER.treeToValue(apply.get("current_resource"), Run.class);
    assertEquals(current.id(), echoed.id());
    assertTrue(
        RunSpecs.equivalent(current.runSpec(), echoed.runSpec()),
        "stored spec and its echo differ");
    assertEquals(current.jobs().size(), echoed.jobs().size());
    for (int i = 0; i < current.jobs().size(); i++) {
      assertEquals(current.jobs().get(i).jobSpec(), echoed.jobs().get(i).jobSpec());
    }
    for (var name : List.of("run job_failed", "run all_jobs_done")) {
      var run = Json.MAPPER.treeToValue(sent.get(name), Run.class);
      assertTrue(RunSpecs.equivalent(spec, run.runSpec()));
    }
  }
}
