package ai.dstack.orchestrator.secrets;

import ai.dstack.orchestrator.testing.OnPostgres;

@OnPostgres
class SecretsApiOnPostgresTest extends SecretsApiTest {}
