package ai.dstack.orchestrator.fleets;

import ai.dstack.orchestrator.testing.OnSqlite;

@OnSqlite
class FleetRecordsOnSqliteTest extends FleetRecordsTest {}
