package dev.tapegrad.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * A small property runner for the {@code …Properties} classes: it draws cases of small integer
 * parameters from a fixed seed, runs a check on each, and shrinks the first failing case before
 * reporting it.
 *
 * <p>Every case also carries a {@code valueSeed} parameter. Checks build their tensor values from
 * {@link Case#random()}, a {@link SplittableRandom} seeded by it, so a case is fully described by
 * its integers, and shrinking a shape or the seed shrinks the whole case.
 *
 * <p>Case 0 sets every parameter to its minimum (size 1, batch 1, one step) and case 1 every
 * parameter to its maximum; the others are drawn uniformly from each range. Shrinking is greedy:
 * for one parameter at a time it tries the minimum, the midpoint and one less, keeps the first
 * candidate that still fails, and repeats until nothing smaller fails.
 */
final class PropertyCheck {

  /**
   * Overrides every property's seed, for exploring new cases locally:
   * {@code mvn -pl bench test -Dtapegrad.properties.seed=123}. Unset (as in CI), each property
   * uses its own fixed seed.
   */
  static final String SEED_PROPERTY = "tapegrad.properties.seed";

  private static final int SHRINK_BUDGET = 500;
  private static final Param VALUE_SEED = new Param("valueSeed", 0, Integer.MAX_VALUE - 1);

  private PropertyCheck() {}

  /**
   * A named integer parameter with an inclusive range.
   *
   * @param name the name used in reports and by {@link Case#get}
   * @param min the smallest value, the shrinking target
   * @param max the largest value
   */
  record Param(String name, int min, int max) {
    Param {
      if (min > max) {
        throw new IllegalArgumentException(name + ": empty range [" + min + ", " + max + "]");
      }
    }
  }

  /**
   * Returns a parameter ranging over {@code [min, max]}.
   *
   * @param name its name
   * @param min the smallest value
   * @param max the largest value
   * @return the parameter
   */
  static Param param(String name, int min, int max) {
    return new Param(name, min, max);
  }

  /** One case: a value for every parameter, the last being the value seed. */
  static final class Case {
    private final List<Param> params;
    private final int[] values;

    private Case(List<Param> params, int[] values) {
      this.params = params;
      this.values = values;
    }

    /**
     * Returns a parameter's value.
     *
     * @param name the parameter's name
     * @return its value in this case
     */
    int get(String name) {
      for (int i = 0; i < params.size(); i++) {
        if (params.get(i).name().equals(name)) {
          return values[i];
        }
      }
      throw new IllegalArgumentException("no parameter " + name + " in " + params);
    }

    /** Returns {@code get(name) != 0}, for flag parameters ranging over [0, 1]. */
    boolean flag(String name) {
      return get(name) != 0;
    }

    /** Returns a new generator seeded by this case's value seed; call it once per case. */
    SplittableRandom random() {
      return new SplittableRandom(get(VALUE_SEED.name()));
    }

    private Case with(int index, int value) {
      int[] copy = values.clone();
      copy[index] = value;
      return new Case(params, copy);
    }

    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < params.size(); i++) {
        sb.append(i == 0 ? "" : ", ").append(params.get(i).name()).append('=').append(values[i]);
      }
      return sb.toString();
    }
  }

  /**
   * Runs {@code check} on {@code tries} cases and throws if any fails.
   *
   * @param seed the seed of the case generator, fixed per property so that CI is deterministic;
   *     the system property {@value #SEED_PROPERTY} replaces it when set
   * @param tries how many cases to run
   * @param params the parameters, each with its range
   * @param check throws (usually an {@link AssertionError}) when the property does not hold
   * @throws AssertionError naming the seed, the first failing case and its shrunk form
   */
  static void forAll(long seed, int tries, List<Param> params, Consumer<Case> check) {
    forAllWithSeed(Long.getLong(SEED_PROPERTY, seed), tries, params, check);
  }

  /**
   * Runs {@code check} like {@link #forAll}, with exactly this seed whatever the system
   * properties say.
   *
   * @param effectiveSeed the seed of the case generator
   * @param tries how many cases to run
   * @param params the parameters, each with its range
   * @param check throws when the property does not hold
   * @throws AssertionError naming the seed, the first failing case and its shrunk form
   */
  static void forAllWithSeed(long effectiveSeed, int tries, List<Param> params, Consumer<Case> check) {
    List<Param> all = new ArrayList<>(params);
    all.add(VALUE_SEED);
    SplittableRandom random = new SplittableRandom(effectiveSeed);
    for (int t = 0; t < tries; t++) {
      Case c = draw(all, t, random);
      Throwable failure = failureOf(check, c);
      if (failure != null) {
        Shrunk shrunk = shrink(check, c, failure);
        throw new AssertionError(String.format(
            "property failed on try %d of %d (seed %d)%n  case:   %s%n  shrunk: %s (%d shrinking steps)%n  %s", t + 1,
            tries, effectiveSeed, c, shrunk.smallest, shrunk.steps, shrunk.failure), shrunk.failure);
      }
    }
  }

  private record Shrunk(Case smallest, Throwable failure, int steps) {}

  private static Case draw(List<Param> params, int tryIndex, SplittableRandom random) {
    int[] values = new int[params.size()];
    for (int i = 0; i < values.length; i++) {
      Param p = params.get(i);
      // Draw even for the two edge cases, so that case t + 2 does not depend on them.
      int drawn = random.nextInt(p.min(), p.max() + 1);
      values[i] = tryIndex == 0 ? p.min() : tryIndex == 1 ? p.max() : drawn;
    }
    return new Case(params, values);
  }

  private static Shrunk shrink(Consumer<Case> check, Case failing, Throwable failure) {
    Case current = failing;
    Throwable currentFailure = failure;
    int steps = 0;
    int attempts = 0;
    boolean improved = true;
    while (improved && attempts < SHRINK_BUDGET) {
      improved = false;
      for (int i = 0; i < current.values.length && !improved; i++) {
        for (int candidate : candidates(current.values[i], current.params.get(i).min())) {
          attempts++;
          Case smaller = current.with(i, candidate);
          Throwable t = failureOf(check, smaller);
          if (t != null) {
            current = smaller;
            currentFailure = t;
            steps++;
            improved = true;
            break;
          }
        }
      }
    }
    return new Shrunk(current, currentFailure, steps);
  }

  /** The minimum, the midpoint and one less than {@code value}: distinct, each below it. */
  private static int[] candidates(int value, int min) {
    if (value <= min) {
      return new int[0];
    }
    int mid = min + (value - min) / 2;
    return Arrays.stream(new int[] {min, mid, value - 1}).distinct().filter(v -> v < value).toArray();
  }

  private static Throwable failureOf(Consumer<Case> check, Case c) {
    try {
      check.accept(c);
      return null;
    } catch (AssertionError | RuntimeException e) {
      return e;
    }
  }
}
