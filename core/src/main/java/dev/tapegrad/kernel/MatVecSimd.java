package dev.tapegrad.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API version of {@link MatVecKernels}: the matrix-vector product, single-threaded. Reached only after the module check in {@link Kernels}.
 */
public final class MatVecSimd {

  /** The widest float vector the CPU supports well; a constant so that C2 can intrinsify it. */
  static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

  /** Floats per vector: L. */
  static final int LANES = SPECIES.length();

  private MatVecSimd() {}

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
