package ai.dstack.activities.offers;

import static ai.dstack.activities.offers.MatchingCases.instance;
import static ai.dstack.activities.offers.MatchingCases.resources;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.dstack.core.runs.JobSubmissionRef;
import ai.dstack.workflows.fleets.FleetInstance;
import ai.dstack.workflows.offers.OfferActivities;
import ai.dstack.workflows.offers.OfferQuery;
import io.temporal.activity.ActivityOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The offers activity over the server's two ports, here backed by plain maps. */
class OfferActivitiesImplTest {
  private static final JobSubmissionRef GPU_JOB = job("train");
  private static final JobSubmissionRef CPU_JOB = job("notebook");

  private final Map<JobSubmissionRef, JobRequirements> jobs =
      Map.of(
          GPU_JOB, JobRequirements.of(resources("{cpu: 2.., memory: 8GB.., gpu: H100:1}")),
          CPU_JOB, JobRequirements.of(resources("{cpu: 2..}")));
  private final Map<String, List<FleetInstance>> fleets =
      Map.of("local", List.of(instance("cpu-8", 4, 0)), "gpus", List.of(instance("h100x2", 2, 0)));

  private final OfferActivitiesImpl activities =
      new OfferActivitiesImpl(
          job -> {
            var requirements = jobs.get(job);
            if (requirements == null) {
              throw new NoSuchElementException(job.describe());
            }
            return requirements;
          },
          (project, fleet) -> fleets.getOrDefault(fleet, List.of()));

  private final TestActivityEnvironment temporal = TestActivityEnvironment.newInstance();

  @AfterEach
  void close() {
    temporal.close();
  }

  private static JobSubmissionRef job(String run) {
    return new JobSubmissionRef(
        "main", run, UUID.randomUUID(), run + "-0-0", 0, 0, 0, UUID.randomUUID());
  }

  private OfferActivities stub() {
    temporal.registerActivitiesImplementations(activities);
    return temporal.newActivityStub(
        OfferActivities.class,
        ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(10)).build());
  }

  @Test
  void findsTheSmallestShareOfTheJobsFleet() {
    var list = stub().findOffers(new OfferQuery(GPU_JOB, "gpus"));

    assertNull(list.reason());
    var offer = list.offers().getFirst();
    assertEquals("id-h100x2", offer.instanceId());
    assertEquals(1, offer.blocks());
    assertEquals(2, offer.totalBlocks());
    assertEquals(1, offer.resources().gpus().size());
  }

  @Test
  void saysWhyTheLocalFleetCannotRunAGpuJob() {
    var list = stub().findOffers(new OfferQuery(GPU_JOB, "local"));

    assertEquals(List.of(), list.offers());
    assertEquals(
        "the job asks for 1 GPU (H100) but instance cpu-8 has no GPU;"
            + " fleet local offers 8xCPU, 32GB, 200.0GB (disk) in 4 blocks",
        list.reason());
  }

  @Test
  void aJobTheServerDoesNotKnowFailsWithoutRetries() {
    var e =
        assertThrows(
            ActivityFailure.class, () -> stub().findOffers(new OfferQuery(job("gone"), "local")));

    var cause = (ApplicationFailure) e.getCause();
    assertEquals(OfferActivitiesImpl.JOB_NOT_FOUND, cause.getType());
    assertTrue(cause.isNonRetryable());
  }

  @Test
  void thePlanMarksSharesBusyWhenTheFleetHasNoRoom() {
    var requirements = JobRequirements.of(resources("{cpu: 4..}"));

    var idle = activities.planOffers(requirements, "main", "local", Map.of("id-cpu-8", 2));
    var busy = activities.planOffers(requirements, "main", "local", Map.of("id-cpu-8", 3));

    assertEquals(FleetOffers.IDLE, idle.offers().getFirst().availability());
    assertEquals(2, idle.offers().getFirst().blocks());
    assertEquals(FleetOffers.BUSY, busy.offers().getFirst().availability());
  }
}
