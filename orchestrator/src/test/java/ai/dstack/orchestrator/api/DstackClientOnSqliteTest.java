package ai.dstack.orchestrator.api;

import ai.dstack.orchestrator.testing.OnSqlite;

@OnSqlite
class DstackClientOnSqliteTest extends DstackClientConformanceTest {}
