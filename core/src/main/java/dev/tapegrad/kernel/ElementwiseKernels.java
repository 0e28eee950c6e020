package dev.tapegrad.kernel;

/**
 * Elementwise math, reductions and copies, in forward and backward pairs. Arrays are flat; a "row
 * broadcast" operand has one value per column and is reused for every row. Backward kernels
 * <em>accumulate</em> into their gradient arrays.
 *
 * <p>These loops are scalar only, and so carry no {@code Reference} suffix: C2 vectorizes such
 * simple loops by itself, and exp, log and pow call {@link Math} per element. The one door is
 * {@link #sumOfSquares}, whose twin is {@link MatVecSimd#sumOfSquaresSimd}.
 */
public final class ElementwiseKernels {

  private ElementwiseKernels() {}

  /**
   * {@code out[i] = a[i] · b[i]}.
   *
   * @param a a
   * @param b b, same length
   * @param out the result, same length
   */
  public static void mulForward(float[] a, float[] b, float[] out) {
    for (int i = 0; i < a.length; i++) {
      out[i] = a[i] * b[i];
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
   * {@code dA[i] += dOut[i] · b[i]}: the gradient of {@code a} in {@code a ⊙ b}.
   *
   * @param dOut the gradient of the product
   * @param b the other factor, same length
   * @param dA accumulated into, same length
   */
  public static void mulBackward(float[] dOut, float[] b, float[] dA) {
    for (int i = 0; i < dOut.length; i++) {
      dA[i] += dOut[i] * b[i];
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
   * {@code y = −x}.
   *
   * @param x the input
   * @param y the output, same length
   */
  public static void negForward(float[] x, float[] y) {
    for (int i = 0; i < x.length; i++) {
      y[i] = -x[i];
    }
  }

  /**
   * {@code y = max(x, 0)}.
   *
   * @param x the input
   * @param y the output, same length
   */
  public static void reluForward(float[] x, float[] y) {
    for (int i = 0; i < x.length; i++) {
      y[i] = Math.max(x[i], 0f);
    }
  }

  /**
   * {@code dX += dY · [y > 0]}: relu passes the gradient where it passed the input.
   *
   * @param dY the gradient of the output
   * @param y the saved output max(x, 0), positive exactly where x is
   * @param dX accumulated into
   */
  public static void reluBackward(float[] dY, float[] y, float[] dX) {
    for (int i = 0; i < dY.length; i++) {
      dX[i] += y[i] > 0f ? dY[i] : 0f;
    }
  }

  /**
   * {@code y = e^x}.
   *
   * @param x the input
   * @param y the output, same length
   */
  public static void expForward(float[] x, float[] y) {
    for (int i = 0; i < x.length; i++) {
      y[i] = (float) Math.exp(x[i]);
    }
  }

  /**
   * {@code y = ln x} (NaN for x &lt; 0, −∞ for 0).
   *
   * @param x the input
   * @param y the output, same length
   */
  public static void logForward(float[] x, float[] y) {
    for (int i = 0; i < x.length; i++) {
      y[i] = (float) Math.log(x[i]);
    }
  }

  /**
   * {@code dX += dY / x}, since {@code (ln x)' = 1/x}.
   *
   * @param dY the gradient of the output
   * @param x the saved input
   * @param dX accumulated into
   */
  public static void logBackward(float[] dY, float[] x, float[] dX) {
    for (int i = 0; i < dY.length; i++) {
      dX[i] += dY[i] / x[i];
    }
  }

  /**
   * {@code y = √x} (NaN for x &lt; 0).
   *
   * @param x the input
   * @param y the output, same length
   */
  public static void sqrtForward(float[] x, float[] y) {
    for (int i = 0; i < x.length; i++) {
      y[i] = (float) Math.sqrt(x[i]);
    }
  }

  /**
   * {@code dX += dY / (2y)}, since {@code (√x)' = 1 / (2√x)}.
   *
   * @param dY the gradient of the output
   * @param y the saved output √x
   * @param dX accumulated into
   */
  public static void sqrtBackward(float[] dY, float[] y, float[] dX) {
    for (int i = 0; i < dY.length; i++) {
      dX[i] += dY[i] / (2f * y[i]);
    }
  }

  /**
   * {@code y = x^p}, computed in double and rounded once.
   *
   * @param x the input
   * @param p the exponent
   * @param y the output, same length
   */
  public static void powForward(float[] x, float p, float[] y) {
    for (int i = 0; i < x.length; i++) {
      y[i] = (float) Math.pow(x[i], p);
    }
  }

  /**
   * {@code dX += dY · p · x^(p − 1)}, the factor computed in double; nothing for p = 0, where
   * x⁰ = 1 is constant (even at x = 0, where x^(−1) is infinite), as PyTorch does.
   *
   * @param dY the gradient of the output
   * @param x the saved input
   * @param p the exponent
   * @param dX accumulated into
   */
  public static void powBackward(float[] dY, float[] x, float p, float[] dX) {
    if (p == 0f) {
      return;
    }
    for (int i = 0; i < dY.length; i++) {
      dX[i] += dY[i] * (float) (p * Math.pow(x[i], p - 1.0));
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
   * {@code out[o, i] = (Σ_k x[o, k, i]) / divisor}, the sum accumulated in double: a sum (divisor 1)
   * or mean (divisor n) over the middle dimension of x viewed as outer × n × inner.
   *
   * @param x the input, outer × n × inner
   * @param out receives the result, outer × inner
   * @param outer the product of the dimensions before the reduced one
   * @param n the reduced dimension's size
   * @param inner the product of the dimensions after it
   * @param divisor 1 for a sum, n for a mean
   */
  public static void sumDimForward(float[] x, float[] out, int outer, int n, int inner, int divisor) {
    for (int o = 0; o < outer; o++) {
      for (int i = 0; i < inner; i++) {
        double s = 0;
        for (int k = 0; k < n; k++) {
          s += x[(o * n + k) * inner + i];
        }
        out[o * inner + i] = (float) (s / divisor);
      }
    }
  }

  /**
   * {@code dX[o, k, i] += dOut[o, i] / divisor} for every k: the gradient of {@link #sumDimForward}.
   *
   * @param dOut the gradient of the output, outer × inner
   * @param dX accumulated into, outer × n × inner
   * @param outer the product of the dimensions before the reduced one
   * @param n the reduced dimension's size
   * @param inner the product of the dimensions after it
   * @param divisor 1 for a sum, n for a mean
   */
  public static void sumDimBackward(float[] dOut, float[] dX, int outer, int n, int inner, int divisor) {
    for (int o = 0; o < outer; o++) {
      for (int k = 0; k < n; k++) {
        for (int i = 0; i < inner; i++) {
          dX[(o * n + k) * inner + i] += dOut[o * inner + i] / divisor;
        }
      }
    }
  }

  /**
   * {@code y[b, j, i] = x[b, i, j]}: each of {@code batch} rows×cols matrices transposed.
   *
   * @param x the input, batch × rows × cols
   * @param y receives the transposes, batch × cols × rows
   * @param batch the number of matrices
   * @param rows rows of each input matrix
   * @param cols columns of each input matrix
   */
  public static void transposeLastTwo(float[] x, float[] y, int batch, int rows, int cols) {
    for (int b = 0; b < batch; b++) {
      int base = b * rows * cols;
      for (int i = 0; i < rows; i++) {
        for (int j = 0; j < cols; j++) {
          y[base + j * rows + i] = x[base + i * cols + j];
        }
      }
    }
  }

  /**
   * {@code dX[b, i, j] += dY[b, j, i]}: the gradient of {@link #transposeLastTwo}.
   *
   * @param dY the gradient of the transposes, batch × cols × rows
   * @param dX accumulated into, batch × rows × cols
   * @param batch the number of matrices
   * @param rows rows of each input matrix
   * @param cols columns of each input matrix
   */
  public static void transposeLastTwoBackward(float[] dY, float[] dX, int batch, int rows, int cols) {
    for (int b = 0; b < batch; b++) {
      int base = b * rows * cols;
      for (int i = 0; i < rows; i++) {
        for (int j = 0; j < cols; j++) {
          dX[base + i * cols + j] += dY[base + j * rows + i];
        }
      }
    }
  }

  /**
   * {@code Σ_i x[i]²}, accumulated in double: the squared norm gradient clipping needs.
   *
   * @param x the values
   * @return the sum of squares
   */
  public static double sumOfSquares(float[] x) {
    if (Vectors.ON) {
      return MatVecSimd.sumOfSquaresSimd(x);
    }
    return sumOfSquaresReference(x);
  }

  /** The scalar loop of {@link #sumOfSquares}; same arguments. */
  public static double sumOfSquaresReference(float[] x) {
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
