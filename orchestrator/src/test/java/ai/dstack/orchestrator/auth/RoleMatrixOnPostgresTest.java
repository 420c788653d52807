package ai.dstack.orchestrator.auth;

import ai.dstack.orchestrator.testing.OnLocalFleetOnPostgres;

@OnLocalFleetOnPostgres
class RoleMatrixOnPostgresTest extends RoleMatrixTest {}
