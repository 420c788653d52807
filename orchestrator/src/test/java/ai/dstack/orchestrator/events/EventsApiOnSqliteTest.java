package ai.dstack.orchestrator.events;

import ai.dstack.orchestrator.testing.OnLocalFleet;

@OnLocalFleet
class EventsApiOnSqliteTest extends EventsApiTest {}
