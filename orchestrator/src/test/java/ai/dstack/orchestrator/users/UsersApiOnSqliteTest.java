package ai.dstack.orchestrator.users;

import ai.dstack.orchestrator.testing.OnSqlite;

@OnSqlite
class UsersApiOnSqliteTest extends UsersApiTest {}
