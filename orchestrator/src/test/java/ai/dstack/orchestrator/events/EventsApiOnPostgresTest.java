package ai.dstack.orchestrator.events;

import ai.dstack.orchestrator.testing.OnLocalFleetOnPostgres;

@OnLocalFleetOnPostgres
class EventsApiOnPostgresTest extends EventsApiTest {}
