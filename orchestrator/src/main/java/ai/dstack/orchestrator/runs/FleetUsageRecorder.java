package ai.dstack.orchestrator.runs;

import ai.dstack.workflows.projections.FleetRecord;

/** Stores what a fleet workflow reports of its instances' use and its queue. */
public interface FleetUsageRecorder {

  /** Stores {@code fleet} unless a newer record of it is stored. */
  void record(FleetRecord fleet);
}
