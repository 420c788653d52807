package ai.dstack.orchestrator.temporal;

import io.temporal.activity.ActivityInterface;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.WorkflowInterface;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.context.ApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.classreading.MetadataReader;
import org.springframework.core.type.classreading.MetadataReaderFactory;
import org.springframework.util.ClassUtils;

/**
 * The worker on task queue {@value #TASK_QUEUE}. It hosts every workflow implementation in {@code
 * ai.dstack.workflows} (a concrete class implementing a {@code @WorkflowInterface}, with a no-arg
 * or a {@code @WorkflowInit} constructor) and every Spring bean implementing an
 * {@code @ActivityInterface}; it starts once the Temporal endpoint answers, and stops before the
 * endpoint is closed. Stopping only suspends polling (a context may be stopped and started again);
 * closing the context shuts it down.
 */
public class TemporalWorkers implements SmartLifecycle, DisposableBean {

  /**
   * The lifecycle phase of the workers and of what needs them (the local fleet): before the web
   * server's (Spring Boot starts it at {@code DEFAULT_PHASE - 2048}), so the API answers only once
   * they run, and a run applied at once finds its fleet; on shutdown they stop after it.
   */
  public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

  /** The task queue every dstack workflow and activity runs on. */
  public static final String TASK_QUEUE = "dstack";

  static final String WORKFLOWS_PACKAGE = "ai.dstack.workflows";

  private static final Logger log = LoggerFactory.getLogger(TemporalWorkers.class);

  private final WorkerFactory factory;
  private final TemporalEndpoint endpoint;
  private final List<Class<?>> workflowTypes;
  private final List<Object> activities;
  private volatile boolean running;
  private boolean started;

  TemporalWorkers(WorkerFactory factory, TemporalEndpoint endpoint, ApplicationContext context) {
    this.factory = factory;
    this.endpoint = endpoint;
    this.workflowTypes = workflowImplementations(context.getClassLoader());
    this.activities = activityBeans(context);
    Worker worker = factory.newWorker(TASK_QUEUE);
    if (!workflowTypes.isEmpty()) {
      worker.registerWorkflowImplementationTypes(workflowTypes.toArray(Class<?>[]::new));
    }
    if (!activities.isEmpty()) {
      worker.registerActivitiesImplementations(activities.toArray());
    }
  }

  /** The workflow implementations the worker hosts. */
  public List<Class<?>> workflowTypes() {
    return workflowTypes;
  }

  /** The activity implementations the worker hosts. */
  public List<Object> activities() {
    return activities;
  }

  @Override
  public synchronized void start() {
    if (started) {
      factory.resumePolling();
      running = true;
      return;
    }
    endpoint.awaitReady();
    factory.start();
    started = true;
    running = true;
    log.debug(
        "Workers polling task queue {}: {} workflow types, {} activity implementations",
        TASK_QUEUE,
        workflowTypes.size(),
        activities.size());
  }

  @Override
  public synchronized void stop() {
    running = false;
    if (started) {
      factory.suspendPolling();
    }
  }

  @Override
  public void destroy() {
    running = false;
    factory.shutdown();
    try {
      factory.awaitTermination(10, TimeUnit.SECONDS);
      if (!factory.isTerminated()) {
        factory.shutdownNow();
      }
    } catch (RuntimeException e) {
      log.debug("Workers did not stop cleanly: {}", e.toString());
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return PHASE;
  }

  private static List<Class<?>> workflowImplementations(ClassLoader loader) {
    ClassPathScanningCandidateComponentProvider scanner =
        new ClassPathScanningCandidateComponentProvider(false) {
          @Override
          protected boolean isCandidateComponent(
              org.springframework.beans.factory.annotation.AnnotatedBeanDefinition definition) {
            return definition.getMetadata().isConcrete()
                && definition.getMetadata().isIndependent();
          }
        };
    scanner.addIncludeFilter(TemporalWorkers::implementsWorkflowInterface);
    List<Class<?>> types = new ArrayList<>();
    for (BeanDefinition candidate : scanner.findCandidateComponents(WORKFLOWS_PACKAGE)) {
      types.add(ClassUtils.resolveClassName(candidate.getBeanClassName(), loader));
    }
    return types;
  }

  private static boolean implementsWorkflowInterface(
      MetadataReader reader, MetadataReaderFactory factory) throws IOException {
    for (String name : reader.getClassMetadata().getInterfaceNames()) {
      MetadataReader type = factory.getMetadataReader(name);
      if (type.getAnnotationMetadata().hasAnnotation(WorkflowInterface.class.getName())
          || implementsWorkflowInterface(type, factory)) {
        return true;
      }
    }
    String superClass = reader.getClassMetadata().getSuperClassName();
    return superClass != null
        && !superClass.equals(Object.class.getName())
        && implementsWorkflowInterface(factory.getMetadataReader(superClass), factory);
  }

  private static List<Object> activityBeans(ApplicationContext context) {
    List<Object> beans = new ArrayList<>();
    for (String name : context.getBeanNamesForType(Object.class, false, false)) {
      Class<?> type = context.getType(name, false);
      if (type != null
          && Arrays.stream(ClassUtils.getAllInterfacesForClass(type))
              .anyMatch(i -> i.isAnnotationPresent(ActivityInterface.class))) {
        beans.add(context.getBean(name));
      }
    }
    return beans;
  }
}
