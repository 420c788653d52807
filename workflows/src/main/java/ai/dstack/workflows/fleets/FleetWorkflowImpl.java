package ai.dstack.workflows.fleets;

import ai.dstack.core.runs.InstanceOffer;
import ai.dstack.workflows.DstackSearchAttributes;
import ai.dstack.workflows.projections.FleetRecord;
import ai.dstack.workflows.projections.ProjectionActivities;
import ai.dstack.workflows.projections.Projections;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.workflow.Async;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.slf4j.Logger;

/** See {@link FleetWorkflow}. */
public class FleetWorkflowImpl implements FleetWorkflow {

  /**
   * A grant is one signal: retried briefly (the job workflow's worker may be restarting), after
   * which the slot is taken back as if the job were gone.
   */
  static final ActivityOptions DELIVERY =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(10))
          .setRetryOptions(
              RetryOptions.newBuilder()
                  .setInitialInterval(Duration.ofMillis(200))
                  .setMaximumInterval(Duration.ofSeconds(5))
                  .setMaximumAttempts(20)
                  .build())
          .build();

  /** How many released request ids the fleet remembers, to refuse late retries of them. */
  static final int RELEASED_MEMORY = 1000;

  /** Priority (higher first), then the run's submission time, then arrival. */
  private static final Comparator<QueuedRequest> GRANT_ORDER =
      Comparator.<QueuedRequest>comparingInt(q -> -q.request().priority())
          .thenComparing(q -> q.request().submittedAt())
          .thenComparingLong(QueuedRequest::number);

  private static final Logger log = Workflow.getLogger(FleetWorkflowImpl.class);

  private final ProjectionActivities projections =
      Workflow.newActivityStub(ProjectionActivities.class, Projections.OPTIONS);
  private final FleetActivities messenger =
      Workflow.newActivityStub(FleetActivities.class, DELIVERY);

  private FleetInput input;
  private final Map<String, FleetInstance> instances = new LinkedHashMap<>();
  private final List<QueuedRequest> queue = new ArrayList<>();
  private final Map<String, Allocation> allocations = new LinkedHashMap<>();
  private final Deque<String> released = new ArrayDeque<>();
  private long nextQueueNumber;
  private long sequence;
  private boolean retiring;
  private boolean changed = true;
  private int deliveriesInFlight;
  private long grants;

  /**
   * Restores the fleet from its input before anything else runs: an update or signal can reach a
   * new run (after continue-as-new, or with a signal-with-start) before its workflow method starts.
   */
  @WorkflowInit
  public FleetWorkflowImpl(FleetInput input) {
    restore(input);
  }

  @Override
  public FleetResult run(FleetInput input) {
    Workflow.upsertTypedSearchAttributes(
        DstackSearchAttributes.PROJECT.valueSet(input.project()),
        DstackSearchAttributes.FLEET.valueSet(input.fleetName()),
        DstackSearchAttributes.STATUS.valueSet(retiring ? "retiring" : "active"));
    while (true) {
      Workflow.await(() -> changed || retiredAndEmpty() || continueAsNewDue());
      // Continuing as new comes first: a steady stream of changes would otherwise keep the fleet
      // projecting forever. The next run projects what it carries.
      if (continueAsNewDue()) {
        continueAsNew();
      } else if (changed) {
        changed = false;
        project();
      } else {
        log.info("fleet {} retired", input.fleetName());
        return new FleetResult(input.fleetName(), grants);
      }
    }
  }

  private void restore(FleetInput input) {
    this.input = input;
    this.input.instances().forEach(i -> instances.put(i.instanceId(), i));
    var state = input.state();
    if (state != null) {
      queue.addAll(state.queue());
      state.allocations().forEach(a -> allocations.put(a.requestId(), a));
      released.addAll(state.released());
      nextQueueNumber = state.nextQueueNumber();
      sequence = state.sequence();
      retiring = state.retiring();
      // Grants signalled by the previous run were delivered before it continued as new.
    }
  }

  private boolean continueAsNewDue() {
    var info = Workflow.getInfo();
    int limit = input.historyLimit() > 0 ? input.historyLimit() : FleetInput.DEFAULT_HISTORY_LIMIT;
    return info.isContinueAsNewSuggested() || info.getHistoryLength() >= limit;
  }

  private void continueAsNew() {
    // Let update handlers answer and grant signals land, so nothing is in flight across runs.
    Workflow.await(() -> deliveriesInFlight == 0 && Workflow.isEveryHandlerFinished());
    var state =
        new FleetState(
            List.copyOf(queue),
            List.copyOf(allocations.values()),
            List.copyOf(released),
            nextQueueNumber,
            sequence,
            retiring);
    log.info(
        "fleet {} continues as new with {} queued and {} granted",
        input.fleetName(),
        queue.size(),
        allocations.size());
    Workflow.continueAsNew(input.carrying(state));
  }

  private boolean retiredAndEmpty() {
    return retiring && queue.isEmpty() && allocations.isEmpty() && deliveriesInFlight == 0;
  }

  @Override
  public void validateSlotRequest(SlotRequest request) {
    if (request == null || request.requestId() == null || request.requestId().isBlank()) {
      throw new IllegalArgumentException("a slot request needs a request id");
    }
    if (request.jobWorkflowId() == null || request.offers().isEmpty()) {
      throw new IllegalArgumentException(
          "slot request " + request.requestId() + " needs a job workflow id and offers");
    }
  }

  @Override
  public SlotTicket requestSlot(SlotRequest request) {
    var known = ticket(request.requestId());
    if (known != null) {
      return known;
    }
    if (released.contains(request.requestId())) {
      return SlotTicket.rejected(request.requestId(), "the request was released before it ran");
    }
    if (retiring) {
      return SlotTicket.rejected(
          request.requestId(), "fleet " + input.fleetName() + " is being deleted");
    }
    var holdable = request.offers().stream().filter(this::canEverHold).toList();
    if (holdable.isEmpty()) {
      return SlotTicket.rejected(
          request.requestId(),
          "no instance of fleet " + input.fleetName() + " can hold any of its offers");
    }
    queue.add(new QueuedRequest(request.withOffers(holdable), nextQueueNumber++, now()));
    queue.sort(GRANT_ORDER);
    changed = true;
    SlotTicket answer = null;
    for (var grant : grantWaiting()) {
      if (grant.requestId().equals(request.requestId())) {
        answer = SlotTicket.granted(grant);
      } else {
        deliver(grant);
      }
    }
    return answer != null ? answer : ticket(request.requestId());
  }

  @Override
  public void release(SlotRelease release) {
    var id = release.requestId();
    boolean wasQueued = queue.removeIf(q -> q.request().requestId().equals(id));
    var allocation = allocations.remove(id);
    remember(id);
    if (wasQueued || allocation != null) {
      log.info(
          "fleet {}: {} released ({})",
          input.fleetName(),
          allocation != null ? "slot " + id : "queued request " + id,
          release.reason());
      changed = true;
      grantWaiting().forEach(this::deliver);
    }
  }

  @Override
  public void updateInstances(InstancesUpdate update) {
    instances.clear();
    update.instances().forEach(i -> instances.put(i.instanceId(), i));
    // carried into the next run by continue-as-new
    input = input.withInstances(update.instances());
    log.info(
        "fleet {}: instances updated to {} ({})",
        input.fleetName(),
        update.instances().stream().map(FleetInstance::instanceName).toList(),
        update.reason());
    changed = true;
    grantWaiting().forEach(this::deliver);
  }

  @Override
  public void retire(FleetRetirement retirement) {
    log.info("fleet {} retiring: {}", input.fleetName(), retirement.reason());
    retiring = true;
    changed = true;
    Workflow.upsertTypedSearchAttributes(DstackSearchAttributes.STATUS.valueSet("retiring"));
  }

  @Override
  public FleetView view() {
    var uses =
        instances.values().stream()
            .map(i -> new FleetView.InstanceUse(i, busyBlocks(i.instanceId())))
            .toList();
    var entries = new ArrayList<FleetView.QueueEntry>();
    for (int i = 0; i < queue.size(); i++) {
      var request = queue.get(i).request();
      entries.add(
          new FleetView.QueueEntry(
              i + 1,
              request.requestId(),
              request.jobWorkflowId(),
              request.job(),
              request.priority(),
              request.submittedAt()));
    }
    return new FleetView(
        input.fleetName(), uses, entries, List.copyOf(allocations.values()), retiring);
  }

  /** The current answer for a request id already seen: granted or queued; null if unknown. */
  private SlotTicket ticket(String requestId) {
    var allocation = allocations.get(requestId);
    if (allocation != null) {
      return SlotTicket.granted(grantOf(allocation));
    }
    for (int i = 0; i < queue.size(); i++) {
      if (queue.get(i).request().requestId().equals(requestId)) {
        return SlotTicket.queued(requestId, i + 1, queue.get(i).number());
      }
    }
    return null;
  }

  /**
   * Grants the head of the queue while its first fitting offer has room; stops at the first that
   * does not fit, so nobody overtakes it.
   */
  private List<SlotGrant> grantWaiting() {
    var granted = new ArrayList<SlotGrant>();
    while (!queue.isEmpty()) {
      var head = queue.getFirst().request();
      var offer = head.offers().stream().filter(hasRoomFor()).findFirst().orElse(null);
      if (offer == null) {
        break;
      }
      queue.removeFirst();
      var allocation =
          new Allocation(head.requestId(), head.jobWorkflowId(), head.job(), offer, now());
      allocations.put(head.requestId(), allocation);
      grants++;
      changed = true;
      granted.add(grantOf(allocation));
    }
    return granted;
  }

  /**
   * Signals a grant to its job workflow. A job workflow that is gone cannot release it, so the slot
   * is released here when the delivery finds no job workflow or fails for good.
   */
  private void deliver(SlotGrant grant) {
    var jobWorkflowId = allocations.get(grant.requestId()).jobWorkflowId();
    deliveriesInFlight++;
    Async.function(messenger::deliverGrant, new SlotDelivery(jobWorkflowId, grant))
        .handle(
            (delivered, failure) -> {
              deliveriesInFlight--;
              if (failure != null || !delivered) {
                log.warn(
                    "fleet {}: job workflow {} is gone; its slot {} is free again",
                    input.fleetName(),
                    jobWorkflowId,
                    grant.requestId());
                release(new SlotRelease(grant.requestId(), "the job workflow is gone"));
              }
              return null;
            });
  }

  private SlotGrant grantOf(Allocation allocation) {
    var offer = allocation.offer();
    return new SlotGrant(allocation.requestId(), instances.get(offer.instanceId()), offer);
  }

  private boolean canEverHold(InstanceOffer offer) {
    var instance = offer.instanceId() == null ? null : instances.get(offer.instanceId());
    return instance != null && offer.blocks() <= instance.totalBlocks();
  }

  private Predicate<InstanceOffer> hasRoomFor() {
    return offer -> {
      var instance = instances.get(offer.instanceId());
      return instance != null
          && instance.totalBlocks() - busyBlocks(offer.instanceId()) >= offer.blocks();
    };
  }

  private int busyBlocks(String instanceId) {
    return allocations.values().stream()
        .filter(a -> instanceId.equals(a.offer().instanceId()))
        .mapToInt(a -> a.offer().blocks())
        .sum();
  }

  private void remember(String requestId) {
    if (!released.contains(requestId)) {
      released.addLast(requestId);
      while (released.size() > RELEASED_MEMORY) {
        released.removeFirst();
      }
    }
  }

  private void project() {
    var usage =
        instances.values().stream()
            .map(
                i ->
                    new FleetRecord.InstanceUsage(
                        i.instanceId(),
                        i.instanceName(),
                        busyBlocks(i.instanceId()),
                        i.totalBlocks()))
            .toList();
    projections.recordFleet(
        new FleetRecord(input.project(), input.fleetName(), ++sequence, usage, queue.size()));
  }

  private static Instant now() {
    return Instant.ofEpochMilli(Workflow.currentTimeMillis());
  }
}
