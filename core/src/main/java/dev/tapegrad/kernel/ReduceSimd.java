package dev.tapegrad.kernel;

import static dev.tapegrad.kernel.Vectors.LANES;
import static dev.tapegrad.kernel.Vectors.SPECIES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Vector API version of {@link ReduceKernels#extreme} for a reduction over contiguous elements (the
 * last dimension or dimensions: {@code offsets = [0, 1, …, n − 1]}). Reached only through
 * {@link ReduceKernels}, after the module check.
 *
 * <p>Identical to the reference except that L elements are compared at a time: a lane-wise maximum
 * (or minimum) over the run, reduced once across lanes, then the last {@code n mod L} elements in
 * scalar code. Maximum and minimum are exact and the vector operations follow {@link Math#max} and
 * {@link Math#min} (a NaN propagates, −0 &lt; +0), so the result is the same float as the reference's
 * whatever the order.
 */
final class ReduceSimd {

  private ReduceSimd() {}

  /**
   * {@code out[o] = max_k x[base[o] + k]} (or min) for k below n; see {@link ReduceKernels#extreme}.
   *
   * @param x the input
   * @param base each output's first input index
   * @param n the elements of each reduction, contiguous
   * @param out receives the extremes, one per base
   * @param max true for the maximum, false for the minimum
   */
  static void extremeSimd(float[] x, int[] base, int n, float[] out, boolean max) {
    int bound = SPECIES.loopBound(n);
    for (int o = 0; o < base.length; o++) {
      out[o] = max ? rowMax(x, base[o], n, bound) : rowMin(x, base[o], n, bound);
    }
  }

  /** The largest of {@code x[start .. start + n)}; the operator a constant, so that C2 intrinsifies it. */
  private static float rowMax(float[] x, int start, int n, int bound) {
    // L running maxima, then one across the lanes
    FloatVector acc = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
    int k = 0;
    for (; k < bound; k += LANES) {
      acc = acc.max(FloatVector.fromArray(SPECIES, x, start + k));
    }
    float best = acc.reduceLanes(VectorOperators.MAX);
    // the tail, in scalar code
    for (; k < n; k++) {
      best = Math.max(best, x[start + k]);
    }
    return best;
  }

  /** The smallest of {@code x[start .. start + n)}, as {@link #rowMax}. */
  private static float rowMin(float[] x, int start, int n, int bound) {
    FloatVector acc = FloatVector.broadcast(SPECIES, Float.POSITIVE_INFINITY);
    int k = 0;
    for (; k < bound; k += LANES) {
      acc = acc.min(FloatVector.fromArray(SPECIES, x, start + k));
    }
    float best = acc.reduceLanes(VectorOperators.MIN);
    for (; k < n; k++) {
      best = Math.min(best, x[start + k]);
    }
    return best;
  }
}
