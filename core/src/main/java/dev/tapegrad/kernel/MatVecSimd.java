package dev.tapegrad.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API versions of {@link MatVecKernels}: dot product, axpy and matrix-vector product,
 * single-threaded. Reached only after the module check in {@link Kernels}.
 */
public final class MatVecSimd {

  /** The widest float vector the CPU supports well; a constant so that C2 can intrinsify it. */
  static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

  /** Floats per vector: L. */
  static final int LANES = SPECIES.length();

  private MatVecSimd() {}

  /**
   * {@code Σ_i x[i] · y[i]}; identical to {@link MatVecKernels#dotReference} except that the
   * products are summed with fused multiply-adds into four independent L-lane accumulators
   * (element i goes to lane i mod L of accumulator ⌊i/L⌋ mod 4, so four FMA chains overlap),
   * the accumulators are added ((0 + 1) + (2 + 3)) and their lanes summed once in lane order
   * ({@link MatMulSimd#sumLanes}), and the last {@code length mod L} products are added after
   * that, in order.
   *
   * @param x the first vector's array
   * @param xOff index of x[0]
   * @param y the second vector's array
   * @param yOff index of y[0]
   * @param length the number of elements
   * @return the dot product
   */
  public static float dotSimd(float[] x, int xOff, float[] y, int yOff, int length) {
    FloatVector acc0 = FloatVector.zero(SPECIES);
    FloatVector acc1 = FloatVector.zero(SPECIES);
    FloatVector acc2 = FloatVector.zero(SPECIES);
    FloatVector acc3 = FloatVector.zero(SPECIES);
    int i = 0;
    // four vectors per step, one per accumulator
    int bound4 = length - length % (4 * LANES);
    for (; i < bound4; i += 4 * LANES) {
      acc0 = FloatVector.fromArray(SPECIES, x, xOff + i).fma(FloatVector.fromArray(SPECIES, y, yOff + i), acc0);
      acc1 = FloatVector.fromArray(SPECIES, x, xOff + i + LANES)
          .fma(FloatVector.fromArray(SPECIES, y, yOff + i + LANES), acc1);
      acc2 = FloatVector.fromArray(SPECIES, x, xOff + i + 2 * LANES)
          .fma(FloatVector.fromArray(SPECIES, y, yOff + i + 2 * LANES), acc2);
      acc3 = FloatVector.fromArray(SPECIES, x, xOff + i + 3 * LANES)
          .fma(FloatVector.fromArray(SPECIES, y, yOff + i + 3 * LANES), acc3);
    }
    // the remaining whole vectors go to the first accumulator
    int bound = SPECIES.loopBound(length);
    for (; i < bound; i += LANES) {
      acc0 = FloatVector.fromArray(SPECIES, x, xOff + i).fma(FloatVector.fromArray(SPECIES, y, yOff + i), acc0);
    }
    float sum = MatMulSimd.sumLanes(acc0.add(acc1).add(acc2.add(acc3)), new float[LANES]);
    // the scalar tail, in order
    for (; i < length; i++) {
      sum += x[xOff + i] * y[yOff + i];
    }
    return sum;
  }

  /**
   * {@code y[i] += alpha · x[i]}; identical to {@link MatVecKernels#axpyReference} except that L
   * elements are done per step. The product and the sum are rounded separately, as in the
   * reference (no FMA), so the result is bitwise the same.
   *
   * @param alpha the scale
   * @param x the source's array
   * @param xOff index of x[0]
   * @param y the destination's array, accumulated into
   * @param yOff index of y[0]
   * @param length the number of elements
   */
  public static void axpySimd(float alpha, float[] x, int xOff, float[] y, int yOff, int length) {
    int bound = SPECIES.loopBound(length);
    int i = 0;
    for (; i < bound; i += LANES) {
      // y ← y + (alpha · x)
      FloatVector xv = FloatVector.fromArray(SPECIES, x, xOff + i);
      FloatVector.fromArray(SPECIES, y, yOff + i).add(xv.mul(alpha)).intoArray(y, yOff + i);
    }
    for (; i < length; i++) {
      y[yOff + i] += alpha * x[xOff + i];
    }
  }

  /**
   * {@code y[rows] += W[rows, cols] · x[cols]}; identical to {@link MatVecKernels#matvecReference}
   * except that each row's dot product is computed as in {@link MatMulSimd#matmulTransBSimd}
   * with one row of A: four rows of W at a time share each load of x, every row has one L-lane
   * FMA accumulator whose lanes are summed once in lane order, and the last {@code cols mod L} products are added in
   * order. The result is bitwise that of {@code matmulTransBSimd(x, W, y, 1, cols, rows)}.
   *
   * @param w W, rows×cols, row-major, starting at {@code wOff}
   * @param wOff index of W[0,0]
   * @param x x, cols
   * @param xOff index of x[0]
   * @param y y, rows, accumulated into
   * @param yOff index of y[0]
   * @param rows rows of W, length of y
   * @param cols columns of W, length of x
   */
  public static void matvecSimd(float[] w, int wOff, float[] x, int xOff, float[] y, int yOff, int rows, int cols) {
    // y is a 1×rows C, x a 1×cols A, W a rows×cols B
    MatMulSimd.dotTiles(x, xOff, w, wOff, y, yOff, rows, 1, cols, rows);
  }
}
