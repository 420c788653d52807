package ai.dstack.sdk.api;

import ai.dstack.core.api.runs.ApplyRunPlanRequest;
import ai.dstack.core.api.runs.DeleteRunsRequest;
import ai.dstack.core.api.runs.GetRunPlanRequest;
import ai.dstack.core.api.runs.GetRunRequest;
import ai.dstack.core.api.runs.ListRunsRequest;
import ai.dstack.core.api.runs.StopRunsRequest;
import ai.dstack.core.api.runs.SubmitRunRequest;
import ai.dstack.core.runs.wire.Run;
import ai.dstack.core.runs.wire.RunPlan;
import java.util.List;

/** {@code /api/project/{p}/runs} and {@code /api/runs/list}. */
public final class RunsApi {
  private final Transport transport;

  RunsApi(Transport transport) {
    this.transport = transport;
  }

  /**
   * {@code runs/get_plan}: the jobs a run spec makes, their offers, and whether applying it creates
   * a run or updates one. {@code dstack offer} asks one with {@code for_offers_only}.
   */
  public RunPlan getPlan(String project, GetRunPlanRequest request) {
    return transport.post(
        Types.project(project, "/runs/get_plan"),
        request,
        Types.of(RunPlan.class),
        Transport.Idempotency.IDEMPOTENT);
  }

  /** {@code runs/apply}: submits the plan's run, or updates the run it replaces. */
  public Run apply(String project, ApplyRunPlanRequest request) {
    return transport.post(
        Types.project(project, "/runs/apply"),
        request,
        Types.of(Run.class),
        Transport.Idempotency.CHANGE);
  }

  /** {@code runs/submit}: dstack's older call, submits a run spec without a plan. */
  public Run submit(String project, SubmitRunRequest request) {
    return transport.post(
        Types.project(project, "/runs/submit"),
        request,
        Types.of(Run.class),
        Transport.Idempotency.CHANGE);
  }

  /**
   * {@code runs/get}.
   *
   * @throws DstackException.NotFound when there is no such run
   */
  public Run get(String project, GetRunRequest request) {
    return transport.post(
        Types.project(project, "/runs/get"),
        request,
        Types.of(Run.class),
        Transport.Idempotency.IDEMPOTENT);
  }

  /** {@code runs/list} of one project (its {@code project_name} is ignored). */
  public List<Run> list(String project, ListRunsRequest request) {
    return transport.post(
        Types.project(project, "/runs/list"),
        request,
        Types.listOf(Run.class),
        Transport.Idempotency.IDEMPOTENT);
  }

  /** {@code /api/runs/list}: runs of every project the user is a member of, or of its project. */
  public List<Run> listAll(ListRunsRequest request) {
    return transport.post(
        "/api/runs/list", request, Types.listOf(Run.class), Transport.Idempotency.IDEMPOTENT);
  }

  /** {@code runs/stop}: asks the runs to stop (or aborts them); does not wait. */
  public void stop(String project, StopRunsRequest request) {
    transport.post(
        Types.project(project, "/runs/stop"), request, null, Transport.Idempotency.IDEMPOTENT);
  }

  /** {@code runs/delete}: finished runs only. */
  public void delete(String project, DeleteRunsRequest request) {
    transport.post(
        Types.project(project, "/runs/delete"), request, null, Transport.Idempotency.CHANGE);
  }
}
