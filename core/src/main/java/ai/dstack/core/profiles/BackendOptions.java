package ai.dstack.core.profiles;

import ai.dstack.core.yaml.Field;
import ai.dstack.core.yaml.ObjectSpec;
import ai.dstack.core.yaml.Readers;
import ai.dstack.core.yaml.ValueReader;

/**
 * Options applied only to offers of one backend. Only vastai has options: the order offers are
 * tried in ({@code score} or {@code price}), a minimum reliability (0 to 1) and a minimum score.
 */
public record BackendOptions(String type, String offerOrder, Double minReliability, Long minScore) {

  private static final Field<String> TYPE =
      Field.of("type", Readers.oneOf("vastai"), "The backend these options apply to: vastai");
  private static final Field<String> OFFER_ORDER =
      Field.of(
          "offer_order",
          Readers.oneOf("score", "price"),
          "The order offers are tried in: score (highest first, the default) or price (lowest"
              + " first)");
  private static final Field<Double> MIN_RELIABILITY =
      Field.of(
          "min_reliability",
          Readers.number(0, 1),
          "The minimum reliability of an offer, from 0 to 1 (default 0.9)");
  private static final Field<Long> MIN_SCORE =
      Field.of("min_score", Readers.integerAtLeast(0), "The minimum overall score of an offer");

  /** One {@code backend_options} item. */
  public static final ValueReader<BackendOptions> READER =
      ObjectSpec.of("backend options", TYPE, OFFER_ORDER, MIN_RELIABILITY, MIN_SCORE)
          .reader(
              values -> {
                NullValues.rejectNull(values, TYPE);
                return new BackendOptions(
                    values.get(TYPE, "vastai"),
                    values.get(OFFER_ORDER),
                    values.get(MIN_RELIABILITY),
                    values.get(MIN_SCORE));
              });
}
