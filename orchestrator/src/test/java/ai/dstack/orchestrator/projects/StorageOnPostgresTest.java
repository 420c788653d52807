package ai.dstack.orchestrator.projects;

import ai.dstack.orchestrator.testing.OnPostgres;

@OnPostgres
class StorageOnPostgresTest extends StorageTest {}
