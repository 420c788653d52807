package ai.dstack.orchestrator.server;

import ai.dstack.orchestrator.api.ClientVersion;
import ai.dstack.orchestrator.fleets.LocalFleet;
import ai.dstack.orchestrator.persistence.Database;
import ai.dstack.orchestrator.projects.ProjectsService;
import ai.dstack.orchestrator.temporal.TemporalEndpoint;
import ai.dstack.orchestrator.temporal.TemporalWorkers;
import java.lang.management.ManagementFactory;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Prints what start-up started and where, once the server is ready: the state dir, the database,
 * Temporal and its Web UI, the workers, the local fleet's shim and host, the admin token (on first
 * start), and the server's URL; and, like dstack's server, makes {@code main} the client's default
 * project.
 */
@Component
class StartupReport {

  private static final Logger log = LoggerFactory.getLogger("ai.dstack.server");

  private final ServerSettings settings;
  private final Database database;
  private final TemporalEndpoint temporal;
  private final TemporalWorkers workers;
  private final AdminBootstrap admin;
  private final ObjectProvider<LocalFleet> localFleet;

  StartupReport(
      ServerSettings settings,
      Database database,
      TemporalEndpoint temporal,
      TemporalWorkers workers,
      AdminBootstrap admin,
      ObjectProvider<LocalFleet> localFleet) {
    this.settings = settings;
    this.database = database;
    this.temporal = temporal;
    this.workers = workers;
    this.admin = admin;
    this.localFleet = localFleet;
  }

  @EventListener
  void onReady(ApplicationReadyEvent event) {
    int port =
        event.getApplicationContext() instanceof WebServerApplicationContext web
            ? web.getWebServer().getPort()
            : settings.port();
    String url = settings.publicUrl(port);
    log.info("dstack server (the dstack {} API, on Temporal)", ClientVersion.SERVER_VERSION);
    log.info("  State:     {}", settings.dir());
    log.info("  Database:  {}", database.description());
    log.info("  Temporal:  {}", temporal.describe());
    temporal
        .supervised()
        .ifPresent(
            dev -> log.info("  Web UI:    {} (Temporal; find runs by DstackRun)", dev.uiUrl()));
    log.info(
        "  Workers:   task queue \"{}\": {} workflow types, {} activity implementations",
        TemporalWorkers.TASK_QUEUE,
        workers.workflowTypes().size(),
        workers.activities().size());
    localFleet.ifAvailable(fleet -> fleet.describe().forEach(log::info));
    log.info("  Health:    {}/actuator/health, metrics {}/actuator/prometheus", url, url);
    switch (admin.outcome()) {
      case CREATED ->
          log.info(
              "The admin token is {} (shown once; kept in {})",
              admin.tokenToShow().orElseThrow(),
              admin.tokenFile());
      case TOKEN_SET ->
          log.info(
              "The admin token was set from DSTACK_SERVER_ADMIN_TOKEN (kept in {})",
              admin.tokenFile());
      case EXISTING -> log.info("The admin token is kept in {}", admin.tokenFile());
    }
    configureClient(url, admin.keptToken());
    long startMillis =
        System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
    log.info("The dstack server is running at {} (ready in {} ms)", url, startMillis);
  }

  private void configureClient(String url, Optional<String> token) {
    ServerSettings.DefaultProjectUpdate mode = settings.updateDefaultProject();
    if (mode == ServerSettings.DefaultProjectUpdate.NO || token.isEmpty()) {
      return;
    }
    ClientConfigFile config = ClientConfigFile.inHome();
    String project = ProjectsService.DEFAULT_PROJECT_NAME;
    try {
      if (config.isDefault(project, url, token.get())) {
        return;
      }
      if (mode == ServerSettings.DefaultProjectUpdate.YES || !config.hasDefaultProject()) {
        config.configureDefault(project, url, token.get());
        log.info("Configured the {} project in {}", project, config.path());
      } else {
        log.info(
            "Your default project is another one; `dstack server -y` makes {} the default",
            project);
      }
    } catch (RuntimeException e) {
      log.warn("Cannot configure the {} project in {}: {}", project, config.path(), e.getMessage());
    }
  }
}
