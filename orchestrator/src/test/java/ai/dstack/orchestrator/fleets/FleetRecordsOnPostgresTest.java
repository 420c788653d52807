package ai.dstack.orchestrator.fleets;

import ai.dstack.orchestrator.testing.OnPostgres;

@OnPostgres
class FleetRecordsOnPostgresTest extends FleetRecordsTest {}
