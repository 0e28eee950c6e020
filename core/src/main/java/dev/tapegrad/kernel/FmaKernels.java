package dev.tapegrad.kernel;

/**
 * The machine's peak: chains of fused multiply-adds on values that stay in registers, with no
 * memory traffic, so that the only limit is how many FMA units a core has and how wide they are.
 * Twelve independent chains cover the FMA latency (4 to 5 cycles on two or more pipes), as the
 * matrix tile's twelve accumulators do. The door {@link #peak} hands over to {@link FmaSimd} when
 * {@link Vectors#ON}; {@link #peakGflops} times it on every thread a matrix product may use.
 */
public final class FmaKernels {

  /** Independent accumulators. */
  public static final int CHAINS = 12;

  private FmaKernels() {}

  /**
   * Measures the floating-point peak of the threads a matrix product started here may use
   * ({@link Kernels#threads()}): each runs {@link #peak} for about {@code millis} milliseconds,
   * after a short warm-up, and the rate is the operations of all threads over the wall time.
   *
   * @param millis how long to measure, at least 1
   * @return the peak in GFLOP/s
   */
  public static double peakGflops(long millis) {
    int threads = Kernels.threads();
    long iterations = 1 << 16;
    // warm up: vector code runs as slow plain Java until C2 has compiled it, so repeat a short
    // run until ten in a row have not beaten the fastest by a tenth (or ten seconds have passed)
    long best = Long.MAX_VALUE;
    int sinceBest = 0;
    long giveUp = System.nanoTime() + 10_000_000_000L;
    while (sinceBest < 10 && System.nanoTime() < giveUp) {
      long elapsed = timePeak(threads, iterations);
      sinceBest = elapsed < best - best / 10 ? 0 : sinceBest + 1;
      best = Math.min(best, elapsed);
    }
    // then one run of about the time asked for
    long rounds = Math.max(1, millis * 1_000_000L / Math.max(best, 1));
    long elapsed = timePeak(threads, iterations * rounds);
    double flops = 2.0 * CHAINS * Kernels.floatsPerVector() * threads * iterations * rounds;
    return flops / elapsed;
  }

  /** Runs {@link #peak} on {@code threads} threads at once; returns the wall time in nanoseconds. */
  private static long timePeak(int threads, long iterations) {
    float[] sink = new float[threads];
    long start = System.nanoTime();
    Parallel.forEachBlock(threads, threads, 1, (block, t0, t1) -> {
      for (int t = t0; t < t1; t++) {
        sink[t] = peak(iterations, 1f + t);
      }
    });
    long elapsed = System.nanoTime() - start;
    if (Float.isNaN(sink[0])) {
      throw new AssertionError("the FMA loop gave NaN");
    }
    return elapsed;
  }

  /**
   * Runs {@code iterations} rounds of {@link #CHAINS} fused multiply-adds, {@code c ← a·c + b} on
   * each chain: 2 · CHAINS · iterations floating-point operations (times L on the SIMD path).
   *
   * @param iterations the rounds
   * @param seed a value the compiler cannot know, so that nothing folds away
   * @return a sum of the accumulators, to be consumed by the caller
   */
  public static float peak(long iterations, float seed) {
    if (Vectors.ON) {
      return FmaSimd.peakSimd(iterations, seed);
    }
    return peakReference(iterations, seed);
  }

  /** The scalar loop of {@link #peak}; same arguments. */
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
