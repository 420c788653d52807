package ai.dstack.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.core.runs.JobSubmissionRef;
import ai.dstack.core.runs.RunStatus;
import ai.dstack.workflows.WorkflowBench.RunSpec;
import ai.dstack.workflows.fleets.FleetClientActivities;
import ai.dstack.workflows.fleets.FleetInstance;
import ai.dstack.workflows.fleets.FleetResult;
import ai.dstack.workflows.fleets.FleetRetirement;
import ai.dstack.workflows.fleets.InstancesUpdate;
import ai.dstack.workflows.fleets.SlotDelivery;
import ai.dstack.workflows.fleets.SlotRelease;
import ai.dstack.workflows.fleets.SlotRequest;
import ai.dstack.workflows.fleets.SlotTicket;
import ai.dstack.workflows.fleets.SlotTicket.Outcome;
import io.temporal.api.enums.v1.EventType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowServiceException;
import io.temporal.client.WorkflowStub;
import io.temporal.common.converter.DefaultDataConverter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A fleet's queue: priority order, real waiting instead of failed attempts, no slot leaked. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FleetWorkflowTest {
  private WorkflowBench bench;
  private FleetClientActivities slots;

  @BeforeEach
  void start() {
    bench = new WorkflowBench();
    slots =
        new FleetClientActivities(
            WorkflowClient.newInstance(
                bench.env.getWorkflowServiceStubs(),
                WorkflowClientOptions.newBuilder().setNamespace(bench.env.getNamespace()).build()));
  }

  @AfterEach
  void stop() {
    assertEquals(List.of(), bench.agents.leakedTasks(), "tasks left behind");
    bench.close();
  }

  /**
   * The job workflows granted a slot by signal, in grant order, across the fleet's runs (walked
   * back from the latest through each run's predecessor).
   */
  private List<String> grantedBySignal(String fleetWorkflowId) {
    var runs = new ArrayList<List<String>>();
    var history = bench.client.fetchHistory(fleetWorkflowId);
    while (true) {
      var granted = new ArrayList<String>();
      for (var event : history.getEvents()) {
        if (event.hasActivityTaskScheduledEventAttributes()) {
          var activity = event.getActivityTaskScheduledEventAttributes();
          if (activity.getActivityType().getName().equals("DeliverGrant")) {
            var delivery =
                DefaultDataConverter.STANDARD_INSTANCE.fromPayloads(
                    0, Optional.of(activity.getInput()), SlotDelivery.class, SlotDelivery.class);
            granted.add(delivery.jobWorkflowId());
          }
        }
      }
      runs.addFirst(granted);
      var previous =
          history
              .getEvents()
              .getFirst()
              .getWorkflowExecutionStartedEventAttributes()
              .getContinuedExecutionRunId();
      if (previous.isEmpty()) {
        break;
      }
      history = bench.client.fetchHistory(fleetWorkflowId, previous);
    }
    assertTrue(runs.size() > 1, "the fleet continued as new, carrying its queue");
    return runs.stream().flatMap(List::stream).toList();
  }

  /**
   * Sends a slot request as the job workflows' activity does, retrying a try that got no answer or
   * landed while the fleet was between two runs (the activity's retry policy does that in the
   * server; the in-memory test server answers NOT_FOUND there, its continue-as-new is not atomic).
   */
  private SlotTicket ask(SlotRequest request) {
    for (int attempt = 1; ; attempt++) {
      try {
        return slots.requestSlot(request);
      } catch (WorkflowServiceException e) {
        if (attempt == 5) {
          throw e;
        }
      } catch (io.temporal.client.WorkflowNotFoundException e) {
        if (attempt == 50) {
          throw e;
        }
        pause(e);
      }
    }
  }

  private static String runName(String jobWorkflowId) {
    return jobWorkflowId.split("/")[2];
  }

  @Test
  void twentyRunsOnAFleetOfFourAllFinishStartedInPriorityOrder() {
    // A small history limit makes the fleet continue as new while the queue is full.
    var fleet = bench.startFleet("local", 120, WorkflowBench.instance("local-0", 0.0, 4));
    var blockers = new ArrayList<WorkflowBench.Run>();
    for (int i = 0; i < 4; i++) {
      bench.agents.script("blocker-" + i).runUntilStopped = true;
      blockers.add(bench.startRun("blocker-" + i));
    }
    WorkflowBench.await(
        "four blockers holding the fleet",
        () -> bench.fleet("local").view().allocations().size() == 4);

    record Queued(String name, int priority, int second) {}
    var queued =
        IntStream.range(0, 20)
            .mapToObj(i -> new Queued("queued-" + i, (i * 7) % 3 * 10, 100 + (i * 11) % 20))
            .toList();
    var runs = new ArrayList<WorkflowBench.Run>();
    for (var q : queued) {
      runs.add(
          bench.startRun(
              new RunSpec(q.name()).priority(q.priority()).submittedAtSecond(q.second())));
    }
    WorkflowBench.await("twenty queued", () -> bench.fleet("local").view().queue().size() == 20);
    var positions = bench.fleet("local").view().queue();
    assertEquals(1, positions.getFirst().position());
    assertEquals(20, positions.getLast().position());

    blockers.forEach(b -> b.stop(true));
    for (var run : runs) {
      assertEquals(RunStatus.DONE, run.result().status(), run.name);
    }
    blockers.forEach(WorkflowBench.Run::result);

    var expected =
        queued.stream()
            .sorted(
                Comparator.comparingInt((Queued q) -> -q.priority())
                    .thenComparingInt(Queued::second))
            .map(Queued::name)
            .toList();
    var granted =
        grantedBySignal(fleet.getWorkflowId()).stream().map(FleetWorkflowTest::runName).toList();
    assertEquals(expected, granted, "slots granted by priority, then submission time");
    assertTrue(bench.agents.mostActiveAtOnce() <= 4, "never more than the fleet's four blocks");
    for (var q : queued) {
      assertEquals(
          1,
          bench.agents.callsOf(q.name()).stream().filter(c -> c.startsWith("startTask")).count(),
          q.name() + " waited instead of cycling through failed attempts");
    }
    // Releases are signals from the jobs' cleanup, so the fleet may see the last ones a bit later.
    WorkflowBench.await(
        "every slot released",
        () -> {
          var view = bench.fleet("local").view();
          return view.queue().isEmpty() && view.allocations().isEmpty();
        });
    assertEquals(0, bench.fleet("local").view().instances().getFirst().busyBlocks());

    bench.fleet("local").retire(new FleetRetirement("test over"));
    var result = WorkflowStub.fromTyped(bench.fleet("local")).getResult(FleetResult.class);
    assertEquals("local", result.fleetName());
    bench.keepHistory("fleet-queue", fleet.getWorkflowId());
    bench.keepHistory("run-queued", runs.getFirst().workflowId);
  }

  static SlotRequest request(
      WorkflowBench bench, String requestId, String jobWorkflowId, int blocks) {
    return request(
        bench, requestId, jobWorkflowId, WorkflowBench.instance("local-0", 0.0, 4), blocks);
  }

  static SlotRequest request(
      WorkflowBench bench,
      String requestId,
      String jobWorkflowId,
      ai.dstack.workflows.fleets.FleetInstance instance,
      int blocks) {
    var offer = FakeOffers.offer(instance, "local");
    offer =
        new ai.dstack.core.runs.InstanceOffer(
            offer.backend(),
            offer.instanceType(),
            offer.resources(),
            offer.region(),
            offer.price(),
            offer.availability(),
            blocks,
            offer.totalBlocks(),
            offer.fleetName(),
            offer.instanceId(),
            offer.instanceName());
    return new SlotRequest(
        requestId,
        WorkflowIds.fleet(WorkflowBench.PROJECT, "local"),
        jobWorkflowId,
        new JobSubmissionRef(
            WorkflowBench.PROJECT,
            "direct",
            UUID.randomUUID(),
            "direct-0-0",
            0,
            0,
            0,
            UUID.randomUUID()),
        0,
        bench.epoch,
        List.of(offer));
  }

  @Test
  void aRequestNoInstanceCanHoldIsRejected() {
    bench.startFleet("local", 0, WorkflowBench.instance("local-0", 0.0, 4));
    // More blocks than the instance has, and an instance the fleet does not have.
    for (var instance :
        List.of(
            WorkflowBench.instance("local-0", 0.0, 8),
            WorkflowBench.instance("elsewhere", 0.0, 4))) {
      var ticket =
          ask(
              request(
                  bench,
                  "too-big-" + instance.totalBlocks(),
                  "nobody",
                  instance,
                  instance.totalBlocks()));
      assertEquals(Outcome.REJECTED, ticket.outcome());
      assertTrue(ticket.reason().contains("no instance of fleet local"), ticket.reason());
    }
  }

  @Test
  void aRepeatedRequestGetsTheSameTicket() {
    bench.startFleet("local", 0, WorkflowBench.instance("local-0", 0.0, 4));
    SlotTicket first = ask(request(bench, "same", "nobody", 3));
    SlotTicket again = ask(request(bench, "same", "nobody", 3));
    assertEquals(Outcome.GRANTED, first.outcome());
    assertEquals(first, again);
    assertEquals(1, bench.fleet("local").view().allocations().size());
    bench.fleet("local").release(new SlotRelease("same", "test over"));
  }

  @Test
  void aRequestReleasedBeforeItArrivesIsRefused() {
    // A job that gave up on a request whose update was still in flight: the late update gets
    // nothing, so the slot cannot leak.
    var fleet = bench.startFleet("local", 0, WorkflowBench.instance("local-0", 0.0, 4));
    bench.fleet("local").release(new SlotRelease("late", "the job stopped"));
    // An update sent now could be handled before the signal, in the same workflow task.
    WorkflowBench.await("the release handled", () -> signalsHandled(fleet.getWorkflowId()));
    var ticket = ask(request(bench, "late", "nobody", 1));
    assertEquals(Outcome.REJECTED, ticket.outcome());
    assertEquals(List.of(), bench.fleet("local").view().allocations());
  }

  @Test
  void aGrantToAJobWorkflowThatIsGoneIsReturned() {
    bench.startFleet("local", 0, WorkflowBench.instance("local-0", 0.0, 4));
    assertEquals(Outcome.GRANTED, ask(request(bench, "holder", "nobody-a", 4)).outcome());
    var queued = ask(request(bench, "waiter", "nobody-b", 4));
    assertEquals(Outcome.QUEUED, queued.outcome());
    assertEquals(1, queued.position());

    bench.fleet("local").release(new SlotRelease("holder", "done"));
    WorkflowBench.await(
        "the vanished waiter's grant returned",
        () -> {
          var view = bench.fleet("local").view();
          return view.queue().isEmpty() && view.allocations().isEmpty();
        });
  }

  @Test
  void aRetiredFleetEndsOnceEmpty() {
    bench.startFleet("local", 0, WorkflowBench.instance("local-0", 0.0, 4));
    assertEquals(Outcome.GRANTED, ask(request(bench, "last", "nobody", 1)).outcome());
    bench.fleet("local").retire(new FleetRetirement("deleted"));
    // A signal and a later update can be handled in one workflow task, the update first.
    WorkflowBench.await("the fleet is retiring", () -> bench.fleet("local").view().retiring());
    assertEquals(Outcome.REJECTED, ask(request(bench, "new", "nobody", 1)).outcome());
    bench.fleet("local").release(new SlotRelease("last", "done"));
    var result = WorkflowStub.fromTyped(bench.fleet("local")).getResult(FleetResult.class);
    assertEquals(1, result.grants());
  }

  /** The instance as the local shim describes it after a restart on another port. */
  private static FleetInstance movedTo(FleetInstance instance, int shimPort, int totalBlocks) {
    return new FleetInstance(
        instance.instanceId(),
        instance.instanceName(),
        instance.backend(),
        instance.instanceType(),
        instance.region(),
        instance.hostname(),
        shimPort,
        instance.price(),
        instance.resources(),
        totalBlocks);
  }

  @Test
  void newInstancesReplaceTheOldKeepingTheQueueAndTheSlots() {
    var instance = WorkflowBench.instance("local-0", 0.0, 4);
    bench.startFleet("local", 0, instance);
    assertEquals(Outcome.GRANTED, ask(request(bench, "holder", "nobody-a", 4)).outcome());
    assertEquals(Outcome.QUEUED, ask(request(bench, "waiter", "nobody-b", 2)).outcome());

    bench
        .fleet("local")
        .updateInstances(
            new InstancesUpdate(List.of(movedTo(instance, 20998, 4)), "the shim restarted"));

    WorkflowBench.await(
        "the instance at its new port",
        () -> bench.fleet("local").view().instances().getFirst().instance().shimPort() == 20998);
    var view = bench.fleet("local").view();
    assertEquals(4, view.instances().getFirst().busyBlocks());
    assertEquals(List.of("holder"), view.allocations().stream().map(a -> a.requestId()).toList());
    assertEquals(1, view.queue().size());
    assertEquals("waiter", view.queue().getFirst().requestId());
    bench.fleet("local").release(new SlotRelease("waiter", "test over"));
    bench.fleet("local").release(new SlotRelease("holder", "test over"));
  }

  @Test
  void updatedInstancesAreCarriedAcrossContinueAsNew() {
    var instance = WorkflowBench.instance("local-0", 0.0, 4);
    var fleet = bench.startFleet("local", 40, instance);
    bench
        .fleet("local")
        .updateInstances(new InstancesUpdate(List.of(movedTo(instance, 20998, 8)), "resized"));
    WorkflowBench.await(
        "the resized instance",
        () -> bench.fleet("local").view().instances().getFirst().instance().totalBlocks() == 8);

    // Each request and release adds events, until the fleet continues as new.
    for (int i = 0; !continuedAsNew(fleet.getWorkflowId()); i++) {
      assertTrue(i < 100, "the fleet never continued as new");
      assertEquals(Outcome.GRANTED, ask(request(bench, "r-" + i, "nobody", 1)).outcome());
      releaseDuringContinueAsNew(new SlotRelease("r-" + i, "done"));
    }

    var carried = bench.fleet("local").view().instances().getFirst().instance();
    assertEquals(20998, carried.shimPort());
    assertEquals(8, carried.totalBlocks());
  }

  /**
   * Signals a release as the jobs' activity does, sending it again while the fleet is between two
   * runs (the in-memory test server answers NOT_FOUND then; its continue-as-new is not atomic).
   */
  private void releaseDuringContinueAsNew(SlotRelease release) {
    for (int attempt = 1; ; attempt++) {
      try {
        bench.fleet("local").release(release);
        return;
      } catch (io.temporal.client.WorkflowNotFoundException e) {
        if (attempt == 50) {
          throw e;
        }
        pause(e);
      }
    }
  }

  /** A moment for the fleet's next run to start; {@code e} again when interrupted. */
  private static void pause(RuntimeException e) {
    try {
      Thread.sleep(20);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw e;
    }
  }

  /** Whether a workflow task completed after the last signal the workflow received. */
  private boolean signalsHandled(String workflowId) {
    var events = bench.client.fetchHistory(workflowId).getEvents();
    boolean handled = true;
    for (var event : events) {
      if (event.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED) {
        handled = false;
      } else if (event.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) {
        handled = true;
      }
    }
    return handled;
  }

  private boolean continuedAsNew(String workflowId) {
    return !bench
        .client
        .fetchHistory(workflowId)
        .getEvents()
        .getFirst()
        .getWorkflowExecutionStartedEventAttributes()
        .getContinuedExecutionRunId()
        .isEmpty();
  }
}
