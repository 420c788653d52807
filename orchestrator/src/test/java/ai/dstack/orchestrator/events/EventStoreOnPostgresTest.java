package ai.dstack.orchestrator.events;

import ai.dstack.orchestrator.testing.OnPostgres;

@OnPostgres
class EventStoreOnPostgresTest extends EventStoreTest {}
