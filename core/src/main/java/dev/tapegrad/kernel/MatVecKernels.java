package dev.tapegrad.kernel;

/**
 * The scalar reference matrix-vector product (BLAS level 2) on slices of {@code float[]}: each
 * operand is an array plus the offset of its first element, so the kernel can work on one step or
 * one row inside a larger buffer.
 *
 * <p>The matrix-vector product is the GRU's recurrent product at batch 1,
 * {@code W_hh · h} with W_hh 3H×H, one call per time step.
 */
public final class MatVecKernels {

  private MatVecKernels() {}

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

  /**
   * {@code y[cols] += W[rows, cols]ᵀ · x[rows]}: each y[c] gains the dot product of column c of W
   * with x, summed from r = 0 upwards and then added to y[c]; bitwise what
   * {@link #matvecReference} gives on W's transpose.
   *
   * @param w W, rows×cols, row-major, starting at {@code wOff}
   * @param wOff index of W[0,0]
   * @param x x, rows
   * @param xOff index of x[0]
   * @param y y, cols, accumulated into
   * @param yOff index of y[0]
   * @param rows rows of W, length of x
   * @param cols columns of W, length of y
   */
  public static void matvecTransposedReference(float[] w, int wOff, float[] x, int xOff, float[] y, int yOff,
      int rows, int cols) {
    for (int c = 0; c < cols; c++) {
      // y[c] += Σ_r W[r,c] x[r]
      float sum = 0f;
      for (int r = 0; r < rows; r++) {
        sum += w[wOff + r * cols + c] * x[xOff + r];
      }
      y[yOff + c] += sum;
    }
  }
}
