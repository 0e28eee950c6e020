package dev.tapegrad.kernel;

/**
 * The machine's peak: chains of fused multiply-adds on values that stay in registers, with no
 * memory traffic, so that the only limit is how many FMA units a core has and how wide they are.
 * Twelve independent chains cover the FMA latency (4 to 5 cycles on two or more pipes), as the
 * matrix tile's twelve accumulators do. {@link FmaSimd} is the vector version.
 */
public final class FmaKernels {

  /** Independent accumulators. */
  public static final int CHAINS = 12;

  private FmaKernels() {}

  /**
   * Runs {@code iterations} rounds of {@link #CHAINS} fused multiply-adds, {@code c ← a·c + b} on
   * each chain: 2 · CHAINS · iterations floating-point operations.
   *
   * @param iterations the rounds
   * @param seed a value the compiler cannot know
   * @return a sum of the accumulators
   */
  public static float peakReference(long iterations, float seed) {
    float a = 0.999f;
    float b = seed * 1e-3f;
    float[] c = new float[CHAINS];
    for (int k = 0; k < CHAINS; k++) {
      c[k] = seed + k;
    }
    for (long i = 0; i < iterations; i++) {
      for (int k = 0; k < CHAINS; k++) {
        c[k] = Math.fma(a, c[k], b);
      }
    }
    float sum = 0f;
    for (float v : c) {
      sum += v;
    }
    return sum;
  }
}
