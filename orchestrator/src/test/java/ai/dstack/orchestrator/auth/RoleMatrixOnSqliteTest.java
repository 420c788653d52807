package ai.dstack.orchestrator.auth;

import ai.dstack.orchestrator.testing.OnLocalFleet;

@OnLocalFleet
class RoleMatrixOnSqliteTest extends RoleMatrixTest {}
