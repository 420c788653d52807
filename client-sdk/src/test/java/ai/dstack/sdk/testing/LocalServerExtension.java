package ai.dstack.sdk.testing;

import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests a {@link LocalServer} parameter: one server for every test class of the test JVM that
 * uses this extension, started on first use and stopped when the JVM's tests are done.
 */
public final class LocalServerExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(LocalServerExtension.class);

  /**
   * The local fleet offers 8 CPUs in 8 blocks whatever the host has, so the tests' small tasks (and
   * the batch example's 8 in flight) run side by side on a 2-CPU machine.
   */
  private static final Map<String, String> FLEET =
      Map.of("DSTACK_LOCAL_FLEET_CPUS", "8", "DSTACK_LOCAL_FLEET_BLOCKS", "8");

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == LocalServer.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .computeIfAbsent("server", key -> LocalServer.start(FLEET), LocalServer.class);
  }
}
