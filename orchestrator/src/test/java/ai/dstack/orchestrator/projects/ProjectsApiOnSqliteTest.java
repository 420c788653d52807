package ai.dstack.orchestrator.projects;

import ai.dstack.orchestrator.testing.OnSqlite;

@OnSqlite
class ProjectsApiOnSqliteTest extends ProjectsApiTest {}
