package dev.tapegrad.kernel;

import static dev.tapegrad.kernel.Vectors.SPECIES;

import jdk.incubator.vector.FloatVector;

/**
 * Vector API version of {@link FmaKernels#peakReference}: the same chains of fused multiply-adds,
 * L lanes at a time, for the machine's vector peak. Reached only from its family's door, when {@link Vectors#ON}.
 */
public final class FmaSimd {

  private FmaSimd() {}

  /**
   * Runs {@code iterations} rounds of {@link FmaKernels#CHAINS} vector FMAs: 2 · CHAINS · L ·
   * iterations floating-point operations; identical to {@link FmaKernels#peakReference} except
   * that each chain is L lanes wide. Same arguments as {@link FmaKernels#peak}.
   */
  public static float peakSimd(long iterations, float seed) {
    FloatVector a = FloatVector.broadcast(SPECIES, 0.999f);
    FloatVector b = FloatVector.broadcast(SPECIES, seed * 1e-3f);
    FloatVector c0 = FloatVector.broadcast(SPECIES, seed);
    FloatVector c1 = c0.add(1f);
    FloatVector c2 = c0.add(2f);
    FloatVector c3 = c0.add(3f);
    FloatVector c4 = c0.add(4f);
    FloatVector c5 = c0.add(5f);
    FloatVector c6 = c0.add(6f);
    FloatVector c7 = c0.add(7f);
    FloatVector c8 = c0.add(8f);
    FloatVector c9 = c0.add(9f);
    FloatVector c10 = c0.add(10f);
    FloatVector c11 = c0.add(11f);
    for (long i = 0; i < iterations; i++) {
      // c ← a·c + b on each chain: stays bounded, never denormal
      c0 = a.fma(c0, b);
      c1 = a.fma(c1, b);
      c2 = a.fma(c2, b);
      c3 = a.fma(c3, b);
      c4 = a.fma(c4, b);
      c5 = a.fma(c5, b);
      c6 = a.fma(c6, b);
      c7 = a.fma(c7, b);
      c8 = a.fma(c8, b);
      c9 = a.fma(c9, b);
      c10 = a.fma(c10, b);
      c11 = a.fma(c11, b);
    }
    return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11)
        .lane(0);
  }
}
