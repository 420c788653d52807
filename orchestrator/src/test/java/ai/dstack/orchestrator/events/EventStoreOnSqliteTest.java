package ai.dstack.orchestrator.events;

import ai.dstack.orchestrator.testing.OnSqlite;

@OnSqlite
class EventStoreOnSqliteTest extends EventStoreTest {}
