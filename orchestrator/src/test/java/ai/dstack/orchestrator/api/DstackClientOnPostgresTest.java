package ai.dstack.orchestrator.api;

import ai.dstack.orchestrator.testing.OnPostgres;

@OnPostgres
class DstackClientOnPostgresTest extends DstackClientConformanceTest {}
