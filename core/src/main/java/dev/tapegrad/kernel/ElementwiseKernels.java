package dev.tapegrad.kernel;

/**
 * Scalar reference loops for elementwise math, in forward and backward pairs. Arrays are flat;
 * a "row broadcast" operand has one value per column and is reused for every row.
 * Backward kernels <em>accumulate</em> into their gradient arrays.
 */
public final class ElementwiseKernels {

  private ElementwiseKernels() {}

  /**
   * {@code out[i] = a[i] + b[i % cols]}. With {@code cols == a.length} this is a plain sum.
   *
   * @param a a, rows×cols
   * @param b b, cols (or rows×cols when cols is the whole length)
   * @param out the result, rows×cols
   * @param cols the length of b
   */
  public static void addForward(float[] a, float[] b, float[] out, int cols) {
    for (int i = 0; i < a.length; i += cols) {
      for (int j = 0; j < cols; j++) {
        out[i + j] = a[i + j] + b[j];
      }
    }
  }

  /**
   * {@code out[i] = a[i] - b[i % cols]}.
   *
   * @param a a, rows×cols
   * @param b b, cols or rows×cols
   * @param out the result
   * @param cols the length of b
   */
  public static void subForward(float[] a, float[] b, float[] out, int cols) {
    for (int i = 0; i < a.length; i += cols) {
      for (int j = 0; j < cols; j++) {
        out[i + j] = a[i + j] - b[j];
      }
    }
  }

  /**
   * {@code out[i] = a[i] · b[i % cols]}.
   *
   * @param a a, rows×cols
   * @param b b, cols or rows×cols
   * @param out the result
   * @param cols the length of b
   */
  public static void mulForward(float[] a, float[] b, float[] out, int cols) {
    for (int i = 0; i < a.length; i += cols) {
      for (int j = 0; j < cols; j++) {
        out[i + j] = a[i + j] * b[j];
      }
    }
  }

  /**
   * {@code dst[i] += alpha · src[i]}.
   *
   * @param alpha the scale
   * @param src the source
   * @param dst accumulated into, same length
   */
  public static void axpy(float alpha, float[] src, float[] dst) {
    for (int i = 0; i < dst.length; i++) {
      dst[i] += alpha * src[i];
    }
  }

  /**
   * {@code dst[j] += alpha · Σ_r src[r, j]}: the gradient of a row-broadcast operand, summed over
   * the rows it was reused for. With {@code cols == src.length} it is {@link #axpy}.
   *
   * @param alpha the scale (1 for add, −1 for the subtrahend)
   * @param src the incoming gradient, rows×cols
   * @param dst accumulated into, cols
   * @param cols the row length
   */
  public static void sumRowsInto(float alpha, float[] src, float[] dst, int cols) {
    for (int i = 0; i < src.length; i += cols) {
      for (int j = 0; j < cols; j++) {
        dst[j] += alpha * src[i + j];
      }
    }
  }

  /**
   * {@code dA[i] += dOut[i] · b[i % cols]}: the gradient of {@code a} in {@code a · b}.
   *
   * @param dOut the gradient of the product, rows×cols
   * @param b the other factor, cols or rows×cols
   * @param dA accumulated into, rows×cols
   * @param cols the length of b
   */
  public static void mulBackwardFull(float[] dOut, float[] b, float[] dA, int cols) {
    for (int i = 0; i < dOut.length; i += cols) {
      for (int j = 0; j < cols; j++) {
        dA[i + j] += dOut[i + j] * b[j];
      }
    }
  }

  /**
   * {@code dB[j % cols] += dOut[j] · a[j]}: the gradient of the (possibly broadcast) factor
   * {@code b} in {@code a · b}.
   *
   * @param dOut the gradient of the product, rows×cols
   * @param a the other factor, rows×cols
   * @param dB accumulated into, cols or rows×cols
   * @param cols the length of b
   */
  public static void mulBackwardBroadcast(float[] dOut, float[] a, float[] dB, int cols) {
    for (int i = 0; i < dOut.length; i += cols) {
      for (int j = 0; j < cols; j++) {
        dB[j] += dOut[i + j] * a[i + j];
      }
    }
  }

  /**
   * {@code y = σ(x) = 1 / (1 + e^(−x))}, written so that neither branch overflows.
   *
   * @param x the input
   * @param y the output, same length
   */
  public static void sigmoidForward(float[] x, float[] y) {
    for (int i = 0; i < x.length; i++) {
      y[i] = sigmoid(x[i]);
    }
  }

  /**
   * {@code dX += dY · y · (1 − y)}, since {@code σ'(x) = σ(x)(1 − σ(x))}.
   *
   * @param dY the gradient of the output
   * @param y the saved output σ(x)
   * @param dX accumulated into
   */
  public static void sigmoidBackward(float[] dY, float[] y, float[] dX) {
    for (int i = 0; i < dY.length; i++) {
      dX[i] += dY[i] * y[i] * (1f - y[i]);
    }
  }

  /**
   * {@code y = tanh(x)}.
   *
   * @param x the input
   * @param y the output, same length
   */
  public static void tanhForward(float[] x, float[] y) {
    for (int i = 0; i < x.length; i++) {
      y[i] = (float) Math.tanh(x[i]);
    }
  }

  /**
   * {@code dX += dY · (1 − y²)}, since {@code tanh'(x) = 1 − tanh²(x)}.
   *
   * @param dY the gradient of the output
   * @param y the saved output tanh(x)
   * @param dX accumulated into
   */
  public static void tanhBackward(float[] dY, float[] y, float[] dX) {
    for (int i = 0; i < dY.length; i++) {
      dX[i] += dY[i] * (1f - y[i] * y[i]);
    }
  }

  /**
   * The logistic function for one value, stable for large |x|: for x ≥ 0 it is 1 / (1 + e^(−x));
   * for x &lt; 0 the algebraically equal e^x / (1 + e^x), so e^(−x) never overflows.
   *
   * @param x the input
   * @return σ(x)
   */
  public static float sigmoid(float x) {
    if (x >= 0) {
      return (float) (1.0 / (1.0 + Math.exp(-x)));
    }
    double e = Math.exp(x);
    return (float) (e / (1.0 + e));
  }

  /**
   * {@code Σ_i x[i]}, accumulated in double.
   *
   * @param x the values
   * @return their sum
   */
  public static double sum(float[] x) {
    double s = 0;
    for (float v : x) {
      s += v;
    }
    return s;
  }

  /**
   * {@code Σ_i x[i]²}, accumulated in double.
   *
   * @param x the values
   * @return the sum of squares
   */
  public static double sumOfSquares(float[] x) {
    double s = 0;
    for (float v : x) {
      s += (double) v * v;
    }
    return s;
  }

  /**
   * {@code x[i] *= alpha}.
   *
   * @param alpha the scale
   * @param x scaled in place
   */
  public static void scale(float alpha, float[] x) {
    for (int i = 0; i < x.length; i++) {
      x[i] *= alpha;
    }
  }

  /** Side of the square blocks in which {@link #transpose} works (16 floats: one 64-byte line). */
  private static final int TRANSPOSE_TILE = 16;

  /**
   * {@code t = mᵀ}: writes the transpose of a rows×cols matrix into {@code t} (cols×rows), in
   * square tiles so that both the reads and the writes stay within a few cache lines at a time.
   *
   * @param m the matrix, rows×cols
   * @param rows its rows
   * @param cols its columns
   * @param t receives the transpose, cols×rows
   */
  public static void transpose(float[] m, int rows, int cols, float[] t) {
    for (int i0 = 0; i0 < rows; i0 += TRANSPOSE_TILE) {
      int i1 = Math.min(rows, i0 + TRANSPOSE_TILE);
      for (int j0 = 0; j0 < cols; j0 += TRANSPOSE_TILE) {
        int j1 = Math.min(cols, j0 + TRANSPOSE_TILE);
        for (int i = i0; i < i1; i++) {
          for (int j = j0; j < j1; j++) {
            t[j * rows + i] = m[i * cols + j];
          }
        }
      }
    }
  }

  /**
   * Copies {@code row} into each of the first {@code rows} rows of {@code dst}: a bias broadcast
   * before a product accumulates onto it.
   *
   * @param dst the destination, at least rows × row.length
   * @param row the row to repeat
   * @param rows how many rows to fill
   */
  public static void fillRows(float[] dst, float[] row, int rows) {
    for (int i = 0; i < rows; i++) {
      System.arraycopy(row, 0, dst, i * row.length, row.length);
    }
  }
}
