package ai.dstack.orchestrator.projects;

import ai.dstack.orchestrator.testing.OnSqlite;

@OnSqlite
class StorageOnSqliteTest extends StorageTest {}
