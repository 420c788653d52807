package ai.dstack.workflows;

import ai.dstack.workflows.projections.FleetRecord;
import ai.dstack.workflows.projections.JobRecord;
import ai.dstack.workflows.projections.Projected;
import ai.dstack.workflows.projections.ProjectionActivities;
import ai.dstack.workflows.projections.RunRecord;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Keeps every projection write, in order. */
final class RecordingProjections implements ProjectionActivities {
  final List<RunRecord> runs = Collections.synchronizedList(new ArrayList<>());
  final List<JobRecord> jobs = Collections.synchronizedList(new ArrayList<>());
  final List<FleetRecord> fleets = Collections.synchronizedList(new ArrayList<>());

  @Override
  public Projected recordRun(RunRecord run) {
    runs.add(run);
    return new Projected(run.sequence(), true);
  }

  @Override
  public Projected recordJob(JobRecord job) {
    jobs.add(job);
    return new Projected(job.sequence(), true);
  }

  @Override
  public Projected recordFleet(FleetRecord fleet) {
    fleets.add(fleet);
    return new Projected(fleet.sequence(), true);
  }

  /** The statuses a run's projection went through, in order. */
  List<String> runStatuses(String runName) {
    synchronized (runs) {
      return runs.stream()
          .filter(r -> r.runName().equals(runName))
          .map(r -> r.status().value())
          .toList();
    }
  }

  /** The statuses a run's first job submission's projection went through, in order. */
  List<String> jobStatuses(String runName, int submissionNum) {
    synchronized (jobs) {
      return jobs.stream()
          .filter(j -> j.job().runName().equals(runName))
          .filter(j -> j.job().submissionNum() == submissionNum)
          .map(j -> j.status().value())
          .toList();
    }
  }
}
