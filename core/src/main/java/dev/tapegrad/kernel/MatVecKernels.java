package dev.tapegrad.kernel;

/**
 * Scalar reference vector kernels on slices of {@code float[]}: the dot product, {@code axpy}
 * and the matrix-vector product (BLAS levels 1 and 2). Each operand is an array plus the offset
 * of its first element, so a kernel can work on one step or one row inside a larger buffer.
 *
 * <p>The matrix-vector product is the GRU's recurrent product at batch 1,
 * {@code W_hh · h} with W_hh 3H×H, one call per time step.
 */
public final class MatVecKernels {

  private MatVecKernels() {}

  /**
   * {@code Σ_i x[i] · y[i]} over {@code length} elements, summed in float from i = 0 upwards.
   *
   * @param x the first vector's array
   * @param xOff index of x[0]
   * @param y the second vector's array
   * @param yOff index of y[0]
   * @param length the number of elements
   * @return the dot product
   */
  public static float dotReference(float[] x, int xOff, float[] y, int yOff, int length) {
    float sum = 0f;
    for (int i = 0; i < length; i++) {
      sum += x[xOff + i] * y[yOff + i];
    }
    return sum;
  }

  /**
   * {@code y[i] += alpha · x[i]} over {@code length} elements.
   *
   * @param alpha the scale
   * @param x the source's array
   * @param xOff index of x[0]
   * @param y the destination's array, accumulated into
   * @param yOff index of y[0]
   * @param length the number of elements
   */
  public static void axpyReference(float alpha, float[] x, int xOff, float[] y, int yOff, int length) {
    for (int i = 0; i < length; i++) {
      y[yOff + i] += alpha * x[xOff + i];
    }
  }

  /**
   * {@code y[rows] += W[rows, cols] · x[cols]}: each y[r] gains the dot product of row r of W
   * with x. This is {@link MatMulKernels#matmulTransBReference} with one row of A (x) and B = W.
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
  public static void matvecReference(float[] w, int wOff, float[] x, int xOff, float[] y, int yOff, int rows,
      int cols) {
    for (int r = 0; r < rows; r++) {
      // y[r] += Σ_c W[r,c] x[c]
      float sum = 0f;
      int row = wOff + r * cols;
      for (int c = 0; c < cols; c++) {
        sum += w[row + c] * x[xOff + c];
      }
      y[yOff + r] += sum;
    }
  }
}
