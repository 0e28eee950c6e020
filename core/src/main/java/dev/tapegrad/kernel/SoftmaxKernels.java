package dev.tapegrad.kernel;

/**
 * Softmax and log-softmax over the last dimension: every row of a rows×cols array on its own, and
 * their backwards (which accumulate). The forwards are doors that hand over to {@link SoftmaxSimd}
 * when {@link Vectors#ON} (float exponentials, within a few ulp of the reference), with the scalar
 * reference right below; the backwards are scalar only.
 *
 * <p>Both subtract the row's maximum before exponentiating, so that every exponent is at most 0
 * and rows of any magnitude give finite results; the exponentials and their sum are taken in
 * double, as in {@link SoftmaxCrossEntropyKernels}.
 */
public final class SoftmaxKernels {

  private SoftmaxKernels() {}

  /**
   * {@code y[r, v] = e^(x[r, v] − m) / Σ_u e^(x[r, u] − m)} with m the row's maximum.
   *
   * @param x the input, rows×cols
   * @param y receives the softmax, rows×cols
   * @param rows the number of rows
   * @param cols the row length
   */
  public static void softmaxForward(float[] x, float[] y, int rows, int cols) {
    if (Vectors.ON) {
      SoftmaxSimd.softmaxForwardSimd(x, y, rows, cols);
      return;
    }
    softmaxForwardReference(x, y, rows, cols);
  }

  /** The scalar loop of {@link #softmaxForward}; same arguments. */
  public static void softmaxForwardReference(float[] x, float[] y, int rows, int cols) {
    for (int r = 0; r < rows; r++) {
      softmaxRow(x, y, r * cols, cols, rowMax(x, r * cols, cols));
    }
  }

  /**
   * Writes the softmax of the row {@code x[base .. base + cols)} into y and returns
   * {@code Σ_v e^(x[v] − max)}, the sum it divided by (softmax cross-entropy's loss needs it).
   *
   * @param x the input
   * @param y receives the softmax, at the same indices
   * @param base the row's first index
   * @param cols the row length
   * @param max the row's maximum ({@link #rowMax})
   * @return the sum of the shifted exponentials, in double
   */
  static double softmaxRow(float[] x, float[] y, int base, int cols, float max) {
    // y = e^(x − max), and their sum
    double sum = 0;
    for (int v = 0; v < cols; v++) {
      double e = Math.exp(x[base + v] - max);
      y[base + v] = (float) e;
      sum += e;
    }
    // y /= sum, as a multiplication by the float reciprocal
    float inv = (float) (1.0 / sum);
    for (int v = 0; v < cols; v++) {
      y[base + v] *= inv;
    }
    return sum;
  }

  /**
   * {@code dX[r, v] += y[r, v] · (dY[r, v] − Σ_u dY[r, u] y[r, u])}: the softmax's Jacobian
   * {@code diag(y) − y yᵀ} applied to dY, row by row (the dot product in double).
   *
   * @param dY the gradient of the output, rows×cols
   * @param y the saved softmax, rows×cols
   * @param dX accumulated into, rows×cols
   * @param rows the number of rows
   * @param cols the row length
   */
  public static void softmaxBackward(float[] dY, float[] y, float[] dX, int rows, int cols) {
    for (int r = 0; r < rows; r++) {
      int base = r * cols;
      double dot = 0;
      for (int v = 0; v < cols; v++) {
        dot += (double) dY[base + v] * y[base + v];
      }
      float d = (float) dot;
      for (int v = 0; v < cols; v++) {
        dX[base + v] += y[base + v] * (dY[base + v] - d);
      }
    }
  }

  /**
   * {@code y[r, v] = x[r, v] − m − ln Σ_u e^(x[r, u] − m)} with m the row's maximum: the log of
   * the softmax, without ever taking the log of a tiny probability.
   *
   * @param x the input, rows×cols
   * @param y receives the log-softmax, rows×cols
   * @param rows the number of rows
   * @param cols the row length
   */
  public static void logSoftmaxForward(float[] x, float[] y, int rows, int cols) {
    if (Vectors.ON) {
      SoftmaxSimd.logSoftmaxForwardSimd(x, y, rows, cols);
      return;
    }
    logSoftmaxForwardReference(x, y, rows, cols);
  }

  /** The scalar loop of {@link #logSoftmaxForward}; same arguments. */
  public static void logSoftmaxForwardReference(float[] x, float[] y, int rows, int cols) {
    for (int r = 0; r < rows; r++) {
      int base = r * cols;
      float max = rowMax(x, base, cols);
      double sum = 0;
      for (int v = 0; v < cols; v++) {
        sum += Math.exp(x[base + v] - max);
      }
      double logSum = Math.log(sum);
      for (int v = 0; v < cols; v++) {
        y[base + v] = (float) (x[base + v] - max - logSum);
      }
    }
  }

  /**
   * {@code dX[r, v] += dY[r, v] − e^(y[r, v]) · Σ_u dY[r, u]}: the log-softmax's Jacobian
   * {@code I − 1 softmaxᵀ}, transposed, applied to dY, with the softmax recovered as e^y (the sum in
   * double).
   *
   * @param dY the gradient of the output, rows×cols
   * @param y the saved log-softmax, rows×cols
   * @param dX accumulated into, rows×cols
   * @param rows the number of rows
   * @param cols the row length
   */
  public static void logSoftmaxBackward(float[] dY, float[] y, float[] dX, int rows, int cols) {
    for (int r = 0; r < rows; r++) {
      int base = r * cols;
      double total = 0;
      for (int v = 0; v < cols; v++) {
        total += dY[base + v];
      }
      float t = (float) total;
      for (int v = 0; v < cols; v++) {
        dX[base + v] += dY[base + v] - (float) Math.exp(y[base + v]) * t;
      }
    }
  }

  /** The largest of {@code x[base .. base + cols)}. */
  static float rowMax(float[] x, int base, int cols) {
    float max = Float.NEGATIVE_INFINITY;
    for (int v = 0; v < cols; v++) {
      max = Math.max(max, x[base + v]);
    }
    return max;
  }
}
