package ai.dstack.orchestrator.auth;

import ai.dstack.orchestrator.testing.OnPostgres;

@OnPostgres
class RoleMatrixOnPostgresTest extends RoleMatrixTest {}
