package ai.dstack.orchestrator.temporal;

import ai.dstack.orchestrator.server.ServerSettings;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts the Temporal dev server as soon as the settings are known, before the application context
 * is built, so its own start-up (a second or two, its database created on a first start) runs
 * beside the server's instead of after most of it. The endpoint bean takes it from the context
 * ({@link TemporalConfig}); without this initializer (tests' contexts) the bean starts it.
 */
public final class DevServerAhead
    implements ApplicationContextInitializer<ConfigurableApplicationContext> {

  /** The name the started dev server is registered under. */
  static final String BEAN = "temporalDevServerAhead";

  @Override
  public void initialize(ConfigurableApplicationContext context) {
    var binder = Binder.get(context.getEnvironment());
    var temporal = binder.bind("dstack.temporal", TemporalSettings.class).orElse(null);
    var server = binder.bind("dstack.server", ServerSettings.class).orElse(null);
    if (temporal == null || server == null || temporal.external()) {
      return;
    }
    var devServer =
        TemporalDevServer.startOrAdopt(TemporalConfig.devServerOptions(temporal, server));
    var beans = context.getBeanFactory();
    beans.registerSingleton(BEAN, devServer);
    if (beans instanceof DefaultSingletonBeanRegistry registry) {
      // Stopped when the context closes, also when start-up fails before the endpoint took it;
      // registered first, so destroyed last, after the workers that use it.
      registry.registerDisposableBean(BEAN, devServer::stop);
    }
  }
}
