package dev.tapegrad.rnn;

import java.util.random.RandomGenerator;

/**
 * A small random generator whose whole state is one {@code long} that can be saved and restored,
 * so a resumed training run draws exactly the chunks an uninterrupted one would. The algorithm is
 * SplitMix64 (Steele, Lea and Flood, 2014), the same mixing as {@link java.util.SplittableRandom}.
 *
 * <p>Not thread-safe; each trainer owns one.
 */
public final class SplitMix64 implements RandomGenerator {

  private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

  private long state;

  /**
   * Creates a generator.
   *
   * @param state the seed, or a state returned by {@link #state()}
   */
  public SplitMix64(long state) {
    this.state = state;
  }

  /** Returns the state, from which {@code new SplitMix64(state)} continues the same sequence. */
  public long state() {
    return state;
  }

  @Override
  public long nextLong() {
    long z = (state += GOLDEN_GAMMA);
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
