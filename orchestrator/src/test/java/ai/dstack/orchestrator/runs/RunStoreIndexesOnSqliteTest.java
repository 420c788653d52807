package ai.dstack.orchestrator.runs;

import ai.dstack.orchestrator.testing.OnSqlite;

@OnSqlite
class RunStoreIndexesOnSqliteTest extends RunStoreIndexesTest {}
