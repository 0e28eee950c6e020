package dev.tapegrad.kernel;

import static dev.tapegrad.kernel.Vectors.LANES;
import static dev.tapegrad.kernel.Vectors.SPECIES;

import jdk.incubator.vector.FloatVector;

/**
 * Vector API versions of {@link MatVecKernels}: the matrix-vector products with W and with its
 * transpose, single-threaded; the squared norm of gradient clipping; and the lane sum in a fixed
 * order that they and {@link SoftmaxCrossEntropySimd} use. Reached only from its family's door,
 * when {@link Vectors#ON}.
 */
public final class MatVecSimd {

  /** Vectors of y per block of the transposed product: four FMA chains, each reading its own part of W's row. */
  static final int COLUMN_VECTORS = 4;

  /** Elements per float block of {@link #sumOfSquaresSimd}, a multiple of L: short enough that float keeps the sum. */
  static final int NORM_BLOCK = 1024;

  /** Rows of W per step: four dot products share each load of x. */
  private static final int ROWS = 4;

  /** Where {@link #sumLanes} spills a vector (and {@link #matvecSimd} four), one per thread. */
  private static final ThreadLocal<float[]> LANE_SCRATCH = ThreadLocal.withInitial(() -> new float[ROWS * LANES]);

  private MatVecSimd() {}

  /**
   * {@code y[rows] += W[rows, cols] · x[cols]}; identical to {@link MatVecKernels#matvecReference}
   * except that each row's dot product is summed with fused multiply-adds into one L-lane
   * accumulator (element c goes to lane c mod L), whose lanes are then added once in lane order
   * ({@link #sumLanes}), and the last {@code cols mod L} products are added after that, in order.
   * Four rows of W share each load of x. Every row is computed the same way whichever rows it is
   * grouped with, so splitting the rows over threads does not change a bit.
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
    int bound = SPECIES.loopBound(cols);
    float[] scratch = LANE_SCRATCH.get();
    int r = 0;
    for (; r + ROWS <= rows; r += ROWS) {
      int w0 = wOff + r * cols;
      FloatVector acc0 = FloatVector.zero(SPECIES);
      FloatVector acc1 = FloatVector.zero(SPECIES);
      FloatVector acc2 = FloatVector.zero(SPECIES);
      FloatVector acc3 = FloatVector.zero(SPECIES);
      for (int c = 0; c < bound; c += LANES) {
        // acc_i ← fma(W[r + i, c..c+L), x[c..c+L), acc_i)
        FloatVector xv = FloatVector.fromArray(SPECIES, x, xOff + c);
        acc0 = FloatVector.fromArray(SPECIES, w, w0 + c).fma(xv, acc0);
        acc1 = FloatVector.fromArray(SPECIES, w, w0 + cols + c).fma(xv, acc1);
        acc2 = FloatVector.fromArray(SPECIES, w, w0 + 2 * cols + c).fma(xv, acc2);
        acc3 = FloatVector.fromArray(SPECIES, w, w0 + 3 * cols + c).fma(xv, acc3);
      }
      // each row's lanes summed in lane order, as sumLanes does, the four chains interleaved so
      // that they run side by side instead of one after another
      acc0.intoArray(scratch, 0);
      acc1.intoArray(scratch, LANES);
      acc2.intoArray(scratch, 2 * LANES);
      acc3.intoArray(scratch, 3 * LANES);
      float s0 = scratch[0];
      float s1 = scratch[LANES];
      float s2 = scratch[2 * LANES];
      float s3 = scratch[3 * LANES];
      for (int i = 1; i < LANES; i++) {
        s0 += scratch[i];
        s1 += scratch[LANES + i];
        s2 += scratch[2 * LANES + i];
        s3 += scratch[3 * LANES + i];
      }
      if (bound < cols) {
        s0 = tail(w, w0, x, xOff, s0, bound, cols);
        s1 = tail(w, w0 + cols, x, xOff, s1, bound, cols);
        s2 = tail(w, w0 + 2 * cols, x, xOff, s2, bound, cols);
        s3 = tail(w, w0 + 3 * cols, x, xOff, s3, bound, cols);
      }
      y[yOff + r] += s0;
      y[yOff + r + 1] += s1;
      y[yOff + r + 2] += s2;
      y[yOff + r + 3] += s3;
    }
    // the last rows mod 4, one at a time, the same way
    for (; r < rows; r++) {
      int wr = wOff + r * cols;
      FloatVector acc = FloatVector.zero(SPECIES);
      for (int c = 0; c < bound; c += LANES) {
        acc = FloatVector.fromArray(SPECIES, w, wr + c).fma(FloatVector.fromArray(SPECIES, x, xOff + c), acc);
      }
      y[yOff + r] += tail(w, wr, x, xOff, sumLanes(acc, scratch), bound, cols);
    }
  }

  /**
   * {@code y[cols] += W[rows, cols]ᵀ · x[rows]}; identical to
   * {@link MatVecKernels#matvecTransposedReference} except that W is read a row at a time, in
   * place (no transpose): for a block of {@value #COLUMN_VECTORS} vectors of y held in registers,
   * {@code y ← fma(x[r], W[r, block], y)} for r = 0, 1, … in order, so each y[c] is a chain of fused
   * multiply-adds from its own value rather than a sum added once. The last {@code cols mod L}
   * columns go the same way in scalar code with {@link Math#fma}, which rounds like a lane. Every
   * column is computed the same way whichever block it falls in, so splitting the columns over
   * threads does not change a bit.
   *
   * @param w W, rows×cols, starting at {@code wOff}, rows {@code ldw} apart (a block of columns of
   *     a wider matrix)
   * @param wOff index of W[0,0]
   * @param ldw distance between W[r, c] and W[r+1, c]
   * @param x x, rows
   * @param xOff index of x[0]
   * @param y y, cols, accumulated into
   * @param yOff index of y[0]
   * @param rows rows of W, length of x
   * @param cols columns of W, length of y
   */
  public static void matvecTransposedSimd(float[] w, int wOff, int ldw, float[] x, int xOff, float[] y, int yOff,
      int rows, int cols) {
    int c = 0;
    for (; c + COLUMN_VECTORS * LANES <= cols; c += COLUMN_VECTORS * LANES) {
      FloatVector y0 = FloatVector.fromArray(SPECIES, y, yOff + c);
      FloatVector y1 = FloatVector.fromArray(SPECIES, y, yOff + c + LANES);
      FloatVector y2 = FloatVector.fromArray(SPECIES, y, yOff + c + 2 * LANES);
      FloatVector y3 = FloatVector.fromArray(SPECIES, y, yOff + c + 3 * LANES);
      for (int r = 0, wr = wOff + c; r < rows; r++, wr += ldw) {
        // y[c..] ← fma(x[r], W[r, c..], y[c..])
        FloatVector xr = FloatVector.broadcast(SPECIES, x[xOff + r]);
        y0 = xr.fma(FloatVector.fromArray(SPECIES, w, wr), y0);
        y1 = xr.fma(FloatVector.fromArray(SPECIES, w, wr + LANES), y1);
        y2 = xr.fma(FloatVector.fromArray(SPECIES, w, wr + 2 * LANES), y2);
        y3 = xr.fma(FloatVector.fromArray(SPECIES, w, wr + 3 * LANES), y3);
      }
      y0.intoArray(y, yOff + c);
      y1.intoArray(y, yOff + c + LANES);
      y2.intoArray(y, yOff + c + 2 * LANES);
      y3.intoArray(y, yOff + c + 3 * LANES);
    }
    for (; c + LANES <= cols; c += LANES) {
      FloatVector y0 = FloatVector.fromArray(SPECIES, y, yOff + c);
      for (int r = 0, wr = wOff + c; r < rows; r++, wr += ldw) {
        y0 = FloatVector.broadcast(SPECIES, x[xOff + r]).fma(FloatVector.fromArray(SPECIES, w, wr), y0);
      }
      y0.intoArray(y, yOff + c);
    }
    for (; c < cols; c++) {
      float sum = y[yOff + c];
      for (int r = 0; r < rows; r++) {
        sum = Math.fma(x[xOff + r], w[wOff + r * ldw + c], sum);
      }
      y[yOff + c] = sum;
    }
  }

  /**
   * {@code Σ_i x[i]²}, the squared norm that gradient clipping needs; identical to
   * {@link ElementwiseKernels#sumOfSquaresReference} except that each block of {@value #NORM_BLOCK} elements
   * is summed with fused multiply-adds in L float lanes, whose sum (in lane order) is then added
   * to the total in double; the last {@code length mod L} squares are added in double one by one.
   *
   * @param x the values
   * @return the sum of their squares
   */
  public static double sumOfSquaresSimd(float[] x) {
    float[] scratch = LANE_SCRATCH.get();
    int bound = SPECIES.loopBound(x.length);
    double total = 0;
    for (int start = 0; start < bound; start += NORM_BLOCK) {
      int end = Math.min(bound, start + NORM_BLOCK);
      FloatVector acc = FloatVector.zero(SPECIES);
      for (int i = start; i < end; i += LANES) {
        FloatVector v = FloatVector.fromArray(SPECIES, x, i);
        acc = v.fma(v, acc);
      }
      total += sumLanes(acc, scratch);
    }
    for (int i = bound; i < x.length; i++) {
      total += (double) x[i] * x[i];
    }
    return total;
  }

  /** Adds the products of columns [from, cols) of one row to {@code sum}, in order. */
  private static float tail(float[] w, int wr, float[] x, int xOff, float sum, int from, int cols) {
    for (int c = from; c < cols; c++) {
      sum += w[wr + c] * x[xOff + c];
    }
    return sum;
  }

  /**
   * Returns the sum of the lanes of {@code v}, added in lane order: {@code ((v0 + v1) + v2) + …}.
   *
   * <p>Why not {@code v.reduceLanes(VectorOperators.ADD)}: its order is unspecified for floats,
   * and on JDK 25 C2-compiled code was measured to add in another order than the interpreter
   * (JDK 17 happened to agree), so a result's last bits depended on whether the JIT had compiled
   * the kernel yet. Spilling the lanes and adding them in scalar code fixes the order everywhere.
   *
   * @param v the vector
   * @param scratch at least L floats, overwritten
   * @return v0 + v1 + … + v(L−1), in that order
   */
  static float sumLanes(FloatVector v, float[] scratch) {
    v.intoArray(scratch, 0);
    float sum = scratch[0];
    for (int i = 1; i < LANES; i++) {
      sum += scratch[i];
    }
    return sum;
  }
}
