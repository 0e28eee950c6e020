package dev.tapegrad.ops;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.tensor.Tensor;

/**
 * A block of columns of a matrix, {@code x[:, from:to]} (a copy, not a view).
 *
 * <pre>
 *   out[n, j] = x[n, from + j]     for 0 ≤ j &lt; to − from
 * </pre>
 *
 * <p>Shapes: x (N, C); out (N, to − from). A GRU uses it to split a stacked 3H-wide gate
 * pre-activation into its r, z and n parts.
 *
 * <p>Derivative: the adjoint of a slice is a padded copy, {@code dX[:, from:to] += dOut}.
 * Nothing but the bounds is saved.
 */
public final class SliceColumns {

  private SliceColumns() {}

  /**
   * Returns columns {@code [from, to)} of {@code x}.
   *
   * @param tape the tape to record on
   * @param x the matrix, N×C
   * @param from the first column, inclusive
   * @param to the last column, exclusive
   * @return the slice, N×(to − from)
   * @throws IllegalArgumentException if the range is empty or outside [0, C]
   */
  public static Variable apply(Tape tape, Variable x, int from, int to) {
    Checks.requireRank("SliceColumns", "x", x, 2);
    int rows = x.shape().dim(0);
    int cols = x.shape().dim(1);
    if (from < 0 || to > cols || from >= to) {
      throw new IllegalArgumentException(
          "SliceColumns: columns [" + from + ", " + to + ") are not a non-empty range of shape " + x.shape());
    }
    int width = to - from;
    Tensor out = tape.zeros(rows, width);
    float[] src = x.value().storage();
    float[] dst = out.storage();
    for (int n = 0; n < rows; n++) {
      // out[n, :] = x[n, from:to]
      System.arraycopy(src, n * cols + from, dst, n * width, width);
    }
    Variable result = tape.output("SliceColumns", out, x);
    if (result.requiresGrad()) {
      tape.record("SliceColumns", result, dOut -> backward(dOut, from, cols, x.gradBuffer()), x);
    }
    return result;
  }

  private static void backward(Tensor dOut, int from, int cols, Tensor dX) {
    int rows = dOut.dim(0);
    int width = dOut.dim(1);
    float[] g = dOut.storage();
    float[] dx = dX.storage();
    for (int n = 0; n < rows; n++) {
      // out[n, j] = x[n, from + j]  ⇒  dX[n, from + j] += dOut[n, j]
      for (int j = 0; j < width; j++) {
        dx[n * cols + from + j] += g[n * width + j];
      }
    }
  }
}
