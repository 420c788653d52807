package ai.dstack.orchestrator.runs;

import ai.dstack.core.runs.InstanceOffer;
import ai.dstack.core.runs.ProvisioningAttempt;
import ai.dstack.core.runs.wire.JobSpec;
import ai.dstack.core.runs.wire.RunSpec;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.springframework.stereotype.Component;

/**
 * The immutable values the runs' rows keep as JSON text (run and job specs, offers, provisioning
 * attempts), read once per text, for every reader of them: {@code runs/list} and {@code runs/get}
 * show the same runs again and again (a client polling {@code dstack ps}), and reading these texts
 * was half of their time. A text always reads to the same value, so the text itself is the key and
 * nothing goes stale.
 */
@Component
class StoredValues {

  /** Texts kept per kind: a few pages of runs; past it a kind starts over. */
  static final int CAPACITY = 1024;

  private static final TypeReference<List<ProvisioningAttempt>> ATTEMPTS = new TypeReference<>() {};

  private final Reads<RunSpec> runSpecs =
      new Reads<>(text -> RunSpec.fromJson(RowJson.read(text, JsonNode.class)));
  private final Reads<JobSpec> jobSpecs =
      new Reads<>(text -> RowJson.read(text, JobSpec.class).withoutSshKey());
  private final Reads<InstanceOffer> offers =
      new Reads<>(text -> RowJson.read(text, InstanceOffer.class));
  private final Reads<List<ProvisioningAttempt>> attempts =
      new Reads<>(text -> List.copyOf(RowJson.read(text, ATTEMPTS)));

  /** A stored run spec. */
  RunSpec runSpec(String text) {
    return runSpecs.get(text);
  }

  /** A stored job spec as clients see it: without the job's private SSH key. */
  JobSpec shownJobSpec(String text) {
    return jobSpecs.get(text);
  }

  /** A submission's stored offer, or null for none. */
  InstanceOffer offer(String text) {
    return text == null ? null : offers.get(text);
  }

  /** A submission's stored provisioning attempts. */
  List<ProvisioningAttempt> attempts(String text) {
    return attempts.get(text);
  }

  private static final class Reads<T> {
    private final Function<String, T> reader;
    private final ConcurrentHashMap<String, T> byText = new ConcurrentHashMap<>();

    Reads(Function<String, T> reader) {
      this.reader = reader;
    }

    T get(String text) {
      var value = byText.get(text);
      if (value == null) {
        value = reader.apply(text);
        if (byText.size() >= CAPACITY) {
          byText.clear();
        }
        byText.put(text, value);
      }
      return value;
    }
  }
}
