package ai.dstack.orchestrator.users;

import ai.dstack.orchestrator.testing.OnPostgres;

@OnPostgres
class UsersApiOnPostgresTest extends UsersApiTest {}
