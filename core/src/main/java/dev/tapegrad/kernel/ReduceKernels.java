package dev.tapegrad.kernel;

/**
 * Scalar reference loops for reductions over any set of dimensions, and their backwards (which
 * accumulate).
 *
 * <p>Every loop takes the reduction as two index maps (built by the ops' {@code ReducedDims}):
 * output element o gathers the {@code count = offsets.length} input elements
 * <pre>
 *   x[base[o] + offsets[k]]      o = 0 … base.length − 1,  k = 0 … count − 1
 * </pre>
 * in row-major order of the reduced indices. Reducing the last dimension of an (R, C) matrix is
 * {@code base = [0, C, 2C, …]}, {@code offsets = [0, 1, …, C − 1]}.
 *
 * <p>Legend: o an output element, k a position within its reduction, n = count. Sums are taken in
 * double, as in {@link ElementwiseKernels#sum}.
 *
 * <p>Fast path: {@link #extreme} over contiguous elements (the last dimensions) hands over to
 * {@link ReduceSimd} when {@link Vectors#ON}; it gives the same floats.
 */
public final class ReduceKernels {

  private ReduceKernels() {}

  /**
   * Whether a reduction gathers contiguous elements, {@code offsets = [0, 1, …, n − 1]}: the
   * offsets are strictly increasing from 0 (row-major over the reduced dimensions), so that holds
   * exactly when the last one is n − 1.
   *
   * @param offsets the reduced offsets
   * @return whether every reduction is one contiguous run
   */
  static boolean isContiguous(int[] offsets) {
    return offsets[offsets.length - 1] == offsets.length - 1;
  }

  /**
   * {@code out[o] = (Σ_k x[base[o] + offsets[k]]) / divisor}, the sum accumulated in double: a sum
   * (divisor 1) or a mean (divisor n).
   *
   * @param x the input
   * @param base each output's first input index
   * @param offsets the reduced offsets, n of them
   * @param out receives the result, one per base
   * @param divisor 1 for a sum, n for a mean
   */
  public static void sum(float[] x, int[] base, int[] offsets, float[] out, int divisor) {
    for (int o = 0; o < base.length; o++) {
      double s = 0;
      for (int k = 0; k < offsets.length; k++) {
        s += x[base[o] + offsets[k]];
      }
      out[o] = (float) (s / divisor);
    }
  }

  /**
   * {@code dX[base[o] + offsets[k]] += dOut[o] / divisor} for every k: the gradient of {@link #sum}.
   *
   * @param dOut the gradient of the output, one per base
   * @param base each output's first input index
   * @param offsets the reduced offsets
   * @param dX accumulated into
   * @param divisor 1 for a sum, n for a mean
   */
  public static void sumBackward(float[] dOut, int[] base, int[] offsets, float[] dX, int divisor) {
    for (int o = 0; o < base.length; o++) {
      float g = dOut[o] / divisor;
      for (int k = 0; k < offsets.length; k++) {
        dX[base[o] + offsets[k]] += g;
      }
    }
  }

  /**
   * {@code out[o] = max_k x[base[o] + offsets[k]]} (or min): PyTorch's {@code amax}/{@code amin}.
   * A NaN anywhere in a reduction makes its result NaN, as {@link Math#max} does.
   *
   * @param x the input
   * @param base each output's first input index
   * @param offsets the reduced offsets
   * @param out receives the extremes, one per base
   * @param max true for the maximum, false for the minimum
   */
  public static void extreme(float[] x, int[] base, int[] offsets, float[] out, boolean max) {
    if (Vectors.ON && isContiguous(offsets)) {
      ReduceSimd.extremeSimd(x, base, offsets.length, out, max);
      return;
    }
    extremeReference(x, base, offsets, out, max);
  }

  /**
   * The scalar loop of {@link #extreme}, whichever kernels are selected.
   *
   * @param x the input
   * @param base each output's first input index
   * @param offsets the reduced offsets
   * @param out receives the extremes, one per base
   * @param max true for the maximum, false for the minimum
   */
  public static void extremeReference(float[] x, int[] base, int[] offsets, float[] out, boolean max) {
    for (int o = 0; o < base.length; o++) {
      float best = max ? Float.NEGATIVE_INFINITY : Float.POSITIVE_INFINITY;
      for (int k = 0; k < offsets.length; k++) {
        float v = x[base[o] + offsets[k]];
        best = max ? Math.max(best, v) : Math.min(best, v);
      }
      out[o] = best;
    }
  }

  /**
   * {@code dX[i] += dOut[o] / t_o} for every input i of reduction o that equals the extreme
   * {@code out[o]}, where t_o counts those ties: the gradient of {@link #extreme}, split evenly
   * among tied elements as PyTorch's {@code amax} documents.
   *
   * @param dOut the gradient of the extremes, one per base
   * @param x the saved input
   * @param out the saved extremes
   * @param base each output's first input index
   * @param offsets the reduced offsets
   * @param dX accumulated into
   */
  public static void extremeBackward(float[] dOut, float[] x, float[] out, int[] base, int[] offsets, float[] dX) {
    for (int o = 0; o < base.length; o++) {
      // t_o: how many elements attain the extreme
      int ties = 0;
      for (int k = 0; k < offsets.length; k++) {
        ties += x[base[o] + offsets[k]] == out[o] ? 1 : 0;
      }
      if (ties == 0) {
        continue;
      }
      float g = dOut[o] / ties;
      for (int k = 0; k < offsets.length; k++) {
        int i = base[o] + offsets[k];
        dX[i] += x[i] == out[o] ? g : 0f;
      }
    }
  }

  /**
   * {@code values[o] = max_k x[base[o] + offsets[k]]} (or min) and {@code indices[o]} the first k
   * where it is attained: {@code torch.max(x, dim)}'s values and indices. A NaN counts as larger
   * (and smaller) than any number, so the first NaN wins, as in PyTorch.
   *
   * @param x the input
   * @param base each output's first input index
   * @param offsets the reduced offsets
   * @param values receives the extremes, one per base
   * @param indices receives the position k of each, one per base
   * @param max true for the maximum, false for the minimum
   */
  public static void argExtreme(float[] x, int[] base, int[] offsets, float[] values, int[] indices, boolean max) {
    for (int o = 0; o < base.length; o++) {
      float best = x[base[o]];
      int at = 0;
      for (int k = 1; k < offsets.length && best == best; k++) {
        float v = x[base[o] + offsets[k]];
        // strictly better (so ties keep the first), or the first NaN
        if (max ? v > best : v < best) {
          best = v;
          at = k;
        } else if (v != v) {
          best = v;
          at = k;
        }
      }
      values[o] = best;
      indices[o] = at;
    }
  }

  /**
   * {@code dX[base[o] + offsets[indices[o]]] += dOut[o]}: the gradient of {@link #argExtreme}'s
   * values, all to the chosen element.
   *
   * @param dOut the gradient of the values, one per base
   * @param base each output's first input index
   * @param offsets the reduced offsets
   * @param indices the chosen position of each, one per base
   * @param dX accumulated into
   */
  public static void chosenBackward(float[] dOut, int[] base, int[] offsets, int[] indices, float[] dX) {
    for (int o = 0; o < base.length; o++) {
      dX[base[o] + offsets[indices[o]]] += dOut[o];
    }
  }

  /**
   * {@code out[o] = m + ln Σ_k e^(x[base[o] + offsets[k]] − m)} with m the reduction's maximum,
   * the exponentials summed in double. An infinite maximum is replaced by 0 before the shift (as
   * PyTorch does), so a reduction of only −∞ gives −∞ and one holding +∞ gives +∞, not NaN.
   *
   * @param x the input
   * @param base each output's first input index
   * @param offsets the reduced offsets
   * @param out receives ln Σ e^x, one per base
   */
  public static void logSumExp(float[] x, int[] base, int[] offsets, float[] out) {
    for (int o = 0; o < base.length; o++) {
      // m = max_k x, or 0 where that is infinite
      float m = Float.NEGATIVE_INFINITY;
      for (int k = 0; k < offsets.length; k++) {
        m = Math.max(m, x[base[o] + offsets[k]]);
      }
      if (Float.isInfinite(m)) {
        m = 0f;
      }
      // Σ_k e^(x − m), every exponent at most 0
      double s = 0;
      for (int k = 0; k < offsets.length; k++) {
        s += Math.exp(x[base[o] + offsets[k]] - m);
      }
      out[o] = (float) (m + Math.log(s));
    }
  }

  /**
   * {@code dX[i] += dOut[o] · e^(x[i] − out[o])}: the gradient of {@link #logSumExp}, the softmax of
   * the reduction.
   *
   * @param dOut the gradient of the output, one per base
   * @param x the saved input
   * @param out the saved ln Σ e^x
   * @param base each output's first input index
   * @param offsets the reduced offsets
   * @param dX accumulated into
   */
  public static void logSumExpBackward(float[] dOut, float[] x, float[] out, int[] base, int[] offsets,
      float[] dX) {
    for (int o = 0; o < base.length; o++) {
      for (int k = 0; k < offsets.length; k++) {
        int i = base[o] + offsets[k];
        dX[i] += dOut[o] * (float) Math.exp(x[i] - out[o]);
      }
    }
  }

  /**
   * The mean and the variance of each reduction, in two passes and in double:
   * {@code mean[o] = (1/n) Σ_k x_k}, {@code variance[o] = Σ_k (x_k − mean)² / (n − correction)}.
   * A divisor {@code n − correction} of 0 or less gives +∞ (or NaN for a sum of 0), as PyTorch's
   * division by {@code max(0, n − correction)} does.
   *
   * @param x the input
   * @param base each output's first input index
   * @param offsets the reduced offsets
   * @param mean receives the means, one per base
   * @param variance receives the variances, one per base
   * @param correction subtracted from n in the divisor (1: Bessel's, unbiased; 0: the population variance)
   */
  public static void moments(float[] x, int[] base, int[] offsets, float[] mean, float[] variance, int correction) {
    int n = offsets.length;
    double divisor = Math.max(0, n - correction);
    for (int o = 0; o < base.length; o++) {
      // mean = (1/n) Σ x
      double s = 0;
      for (int k = 0; k < n; k++) {
        s += x[base[o] + offsets[k]];
      }
      double mu = s / n;
      // Σ (x − mean)², then divided
      double ss = 0;
      for (int k = 0; k < n; k++) {
        double c = x[base[o] + offsets[k]] - mu;
        ss += c * c;
      }
      mean[o] = (float) mu;
      variance[o] = (float) (ss / divisor);
    }
  }

  /**
   * {@code dX[i] += g[o] · (x[i] − mean[o])}: the gradient of a variance (g = 2·dOut / (n − c)) or a
   * standard deviation (g = dOut / ((n − c)·σ)), both through the centred input.
   *
   * @param g the per-reduction factor, one per base
   * @param x the saved input
   * @param mean the saved means, one per base
   * @param base each output's first input index
   * @param offsets the reduced offsets
   * @param dX accumulated into
   */
  public static void centredBackward(float[] g, float[] x, float[] mean, int[] base, int[] offsets, float[] dX) {
    for (int o = 0; o < base.length; o++) {
      for (int k = 0; k < offsets.length; k++) {
        int i = base[o] + offsets[k];
        dX[i] += g[o] * (x[i] - mean[o]);
      }
    }
  }
}
