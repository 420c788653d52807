package ai.dstack.core.runs.wire;

import java.util.List;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * Names for runs submitted without one, in dstack's form {@code <adjective>-<animal>-<n>}: a random
 * pair of words, then the smallest {@code n} from 1 that no other (not deleted) run of the project
 * has (dstack's {@code _generate_run_name}). The word lists are our own.
 */
public final class RunNames {
  private RunNames() {}

  /** Adjectives: short, lowercase, letters only. */
  static final List<String> ADJECTIVES =
      List.of(
          "agile",
          "amber",
          "ample",
          "azure",
          "bold",
          "brisk",
          "bright",
          "busy",
          "calm",
          "candid",
          "cheery",
          "civic",
          "clear",
          "clever",
          "cosmic",
          "crisp",
          "curious",
          "daring",
          "dawn",
          "deft",
          "eager",
          "early",
          "easy",
          "elated",
          "epic",
          "fair",
          "fancy",
          "fleet",
          "fluent",
          "frank",
          "fresh",
          "frosty",
          "gentle",
          "gifted",
          "glad",
          "golden",
          "grand",
          "happy",
          "hardy",
          "hazel",
          "honest",
          "humble",
          "icy",
          "ideal",
          "jazzy",
          "jolly",
          "keen",
          "kind",
          "lively",
          "lucid",
          "lucky",
          "lunar",
          "merry",
          "mighty",
          "misty",
          "modest",
          "mellow",
          "neat",
          "nimble",
          "noble",
          "olive",
          "open",
          "patient",
          "plucky",
          "polite",
          "proud",
          "quick",
          "quiet",
          "rapid",
          "ready",
          "robust",
          "rosy",
          "rustic",
          "sage",
          "shiny",
          "silent",
          "silver",
          "sleek",
          "smooth",
          "snowy",
          "solar",
          "spry",
          "steady",
          "sturdy",
          "sunny",
          "swift",
          "tidy",
          "tranquil",
          "trusty",
          "upbeat",
          "urban",
          "vivid",
          "warm",
          "wise",
          "witty",
          "young",
          "zesty");

  /** Animals: short, lowercase, letters only. */
  static final List<String> ANIMALS =
      List.of(
          "alpaca", "badger", "beaver", "bison", "bobcat", "camel", "caribou", "cheetah", "condor",
          "cougar", "coyote", "crane", "dingo", "dolphin", "eagle", "egret", "falcon", "ferret",
          "finch", "gazelle", "gecko", "gibbon", "giraffe", "heron", "hippo", "ibex", "ibis",
          "iguana", "impala", "jackal", "jaguar", "koala", "lemur", "leopard", "llama", "lynx",
          "magpie", "marmot", "meerkat", "mink", "moose", "narwhal", "newt", "ocelot", "octopus",
          "oriole", "osprey", "otter", "panda", "panther", "parrot", "pelican", "penguin", "puffin",
          "puma", "quail", "rabbit", "raven", "robin", "salmon", "seal", "shark", "sloth",
          "sparrow", "squid", "stork", "swan", "tapir", "tiger", "toucan", "turtle", "walrus",
          "weasel", "whale", "wombat", "yak", "zebra");

  /** A random {@code adjective-animal} pair. */
  public static String base(RandomGenerator random) {
    return ADJECTIVES.get(random.nextInt(ADJECTIVES.size()))
        + "-"
        + ANIMALS.get(random.nextInt(ANIMALS.size()));
  }

  /**
   * A name for a new run: a random pair, then the first free number.
   *
   * @param taken whether a (not deleted) run of the project already has the name
   */
  public static String generate(RandomGenerator random, Predicate<String> taken) {
    var base = base(random);
    for (int n = 1; ; n++) {
      var name = base + "-" + n;
      if (!taken.test(name)) {
        return name;
      }
    }
  }
}
