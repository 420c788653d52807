package ai.dstack.orchestrator.secrets;

import ai.dstack.orchestrator.testing.OnSqlite;

@OnSqlite
class SecretsApiOnSqliteTest extends SecretsApiTest {}
