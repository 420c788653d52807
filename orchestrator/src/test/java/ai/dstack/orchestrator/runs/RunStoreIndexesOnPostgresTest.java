package ai.dstack.orchestrator.runs;

import ai.dstack.orchestrator.testing.OnPostgres;

@OnPostgres
class RunStoreIndexesOnPostgresTest extends RunStoreIndexesTest {}
