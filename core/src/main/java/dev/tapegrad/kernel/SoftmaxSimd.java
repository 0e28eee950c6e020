package dev.tapegrad.kernel;

import static dev.tapegrad.kernel.Vectors.LANES;
import static dev.tapegrad.kernel.Vectors.SPECIES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Vector API versions of the forwards in {@link SoftmaxKernels}. Reached only from its family's
 * door, when {@link Vectors#ON}.
 *
 * <p>Each is identical to its reference except that, L entries of a row at a time:
 * <ul>
 *   <li>the row maximum is a lane-wise maximum reduced once (exact, so the same value);
 *   <li>{@code e^(x − max)} is computed in float with
 *       {@link VectorMath#expNegAbs} (within 2 ulp of {@code (float) Math.exp};
 *       subnormal results become 0) instead of in double;
 *   <li>the exponentials are summed in float lanes, then in lane order, instead of in double;
 *   <li>the log-softmax subtracts {@code (float) ln(sum)} from {@code x − max} in float.
 * </ul>
 * The last {@code cols mod L} entries of a row use the same float operations in scalar code.
 */
public final class SoftmaxSimd {

  private SoftmaxSimd() {}

  /** The softmax of every row; see {@link SoftmaxKernels#softmaxForward}, same arguments. */
  public static void softmaxForwardSimd(float[] x, float[] y, int rows, int cols) {
    int bound = SPECIES.loopBound(cols);
    float[] lanes = new float[LANES];
    for (int r = 0; r < rows; r++) {
      int base = r * cols;
      softmaxRow(x, y, base, cols, bound, rowMax(x, base, cols, bound), lanes);
    }
  }

  /**
   * Writes the softmax of the row {@code x[base .. base + cols)} into y and returns the sum of
   * {@code e^(x − max)} it divided by; see {@link SoftmaxKernels#softmaxRow}.
   *
   * @param x the input
   * @param y receives the softmax, at the same indices
   * @param base the row's first index
   * @param cols the row length
   * @param bound {@code SPECIES.loopBound(cols)}
   * @param max the row's maximum ({@link #rowMax})
   * @param lanes L floats of scratch for the lane sum
   * @return the sum of the shifted exponentials
   */
  static float softmaxRow(float[] x, float[] y, int base, int cols, int bound, float max, float[] lanes) {
    // y = e^(x − max), and their sum
    float sum = expShifted(x, base, cols, bound, max, y, lanes);
    // y /= sum, as a multiplication by the float reciprocal like the reference
    float inv = (float) (1.0 / sum);
    int v = 0;
    for (; v < bound; v += LANES) {
      FloatVector.fromArray(SPECIES, y, base + v).mul(inv).intoArray(y, base + v);
    }
    for (; v < cols; v++) {
      y[base + v] *= inv;
    }
    return sum;
  }

  /** The log-softmax of every row; see {@link SoftmaxKernels#logSoftmaxForward}, same arguments. */
  public static void logSoftmaxForwardSimd(float[] x, float[] y, int rows, int cols) {
    int bound = SPECIES.loopBound(cols);
    float[] lanes = new float[LANES];
    for (int r = 0; r < rows; r++) {
      int base = r * cols;
      float max = rowMax(x, base, cols, bound);
      // the sum of e^(x − max); y is scratch here
      float logSum = (float) Math.log(expShifted(x, base, cols, bound, max, y, lanes));
      // y = (x − max) − ln(sum)
      int v = 0;
      for (; v < bound; v += LANES) {
        FloatVector.fromArray(SPECIES, x, base + v).sub(max).sub(logSum).intoArray(y, base + v);
      }
      for (; v < cols; v++) {
        y[base + v] = x[base + v] - max - logSum;
      }
    }
  }

  /** The largest of {@code x[base .. base + cols)}: lane-wise, then across the lanes. */
  static float rowMax(float[] x, int base, int cols, int bound) {
    FloatVector maxV = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
    int v = 0;
    for (; v < bound; v += LANES) {
      maxV = maxV.max(FloatVector.fromArray(SPECIES, x, base + v));
    }
    float max = maxV.reduceLanes(VectorOperators.MAX);
    for (; v < cols; v++) {
      max = Math.max(max, x[base + v]);
    }
    return max;
  }

  /** Writes {@code e^(x − max)} of one row into y and returns their sum. */
  private static float expShifted(float[] x, int base, int cols, int bound, float max, float[] y, float[] lanes) {
    // e^(x − max) = e^−|x − max|, the range exponential of VectorMath in place
    for (int v = 0; v < bound; v += LANES) {
      FloatVector.fromArray(SPECIES, x, base + v).sub(max).intoArray(y, base + v);
    }
    VectorMath.expNegAbs(y, base, 1f, false, y, base, cols);
    FloatVector sumV = FloatVector.zero(SPECIES);
    for (int v = 0; v < bound; v += LANES) {
      sumV = sumV.add(FloatVector.fromArray(SPECIES, y, base + v));
    }
    float sum = MatVecSimd.sumLanes(sumV, lanes);
    for (int v = bound; v < cols; v++) {
      float e = VectorMath.expNonPositive(x[base + v] - max);
      y[base + v] = e;
      sum += e;
    }
    return sum;
  }
}
