package ai.dstack.orchestrator.auth;

import ai.dstack.orchestrator.testing.OnSqlite;

@OnSqlite
class RoleMatrixOnSqliteTest extends RoleMatrixTest {}
