package ai.dstack.orchestrator.temporal;

import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.operatorservice.v1.AddSearchAttributesRequest;
import io.temporal.api.operatorservice.v1.ListSearchAttributesRequest;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers dstack's search attributes on an existing cluster, where the dev server's {@code
 * --search-attribute} flags do not reach. A cluster that refuses (no operator permission) gets a
 * warning: workflows still run, only the Web UI cannot filter by them.
 */
public final class SearchAttributeRegistration {
  private SearchAttributeRegistration() {}

  private static final Logger log = LoggerFactory.getLogger(SearchAttributeRegistration.class);

  /**
   * Adds the attributes of {@link SearchAttributes#ALL} that {@code namespace} lacks.
   *
   * @return true when all are registered afterwards
   */
  public static boolean ensure(WorkflowServiceStubs stubs, String namespace) {
    OperatorServiceStubs operator =
        OperatorServiceStubs.newServiceStubs(
            OperatorServiceStubsOptions.newBuilder()
                .setChannel(stubs.getRawChannel())
                .validateAndBuildWithDefaults());
    try {
      Set<String> existing =
          operator
              .blockingStub()
              .listSearchAttributes(
                  ListSearchAttributesRequest.newBuilder().setNamespace(namespace).build())
              .getCustomAttributesMap()
              .keySet();
      AddSearchAttributesRequest.Builder missing =
          AddSearchAttributesRequest.newBuilder().setNamespace(namespace);
      for (String name : SearchAttributes.ALL) {
        if (!existing.contains(name)) {
          missing.putSearchAttributes(name, IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
        }
      }
      Map<String, IndexedValueType> toAdd = missing.getSearchAttributesMap();
      if (!toAdd.isEmpty()) {
        operator.blockingStub().addSearchAttributes(missing.build());
        log.info("Registered search attributes {} in namespace {}", toAdd.keySet(), namespace);
      }
      return true;
    } catch (RuntimeException e) {
      log.warn(
          "Cannot register dstack's search attributes in namespace {} ({}); runs will not be"
              + " searchable by them in the Web UI",
          namespace,
          e.getMessage());
      return false;
    } finally {
      operator.shutdownNow();
    }
  }
}
