package dev.tapegrad.ops;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.tensor.Tensor;

/**
 * Side-by-side concatenation of matrices with the same number of rows, {@code torch.cat(dim=1)}.
 *
 * <pre>
 *   out[n, :] = [ a[n, :] | b[n, :] ]
 * </pre>
 *
 * <p>Shapes: a (N, Ca), b (N, Cb); out (N, Ca + Cb).
 *
 * <p>Derivative: each input receives its own block of columns of dOut. Nothing is saved.
 */
public final class ConcatColumns {

  private ConcatColumns() {}

  /**
   * Returns {@code [a | b]}.
   *
   * @param tape the tape to record on
   * @param a the left block, N×Ca
   * @param b the right block, N×Cb
   * @return the concatenation, N×(Ca + Cb)
   * @throws IllegalArgumentException naming both shapes if they are not 2-D with equal rows
   */
  public static Variable apply(Tape tape, Variable a, Variable b) {
    if (a.shape().rank() != 2 || b.shape().rank() != 2 || a.shape().dim(0) != b.shape().dim(0)) {
      throw new IllegalArgumentException(
          "ConcatColumns: shapes " + a.shape() + " and " + b.shape() + " need to be 2-D with the same rows");
    }
    int rows = a.shape().dim(0);
    int colsA = a.shape().dim(1);
    int colsB = b.shape().dim(1);
    int cols = colsA + colsB;
    Tensor out = tape.zeros(rows, cols);
    float[] o = out.storage();
    for (int n = 0; n < rows; n++) {
      // out[n, :] = [a[n, :] | b[n, :]]
      System.arraycopy(a.value().storage(), n * colsA, o, n * cols, colsA);
      System.arraycopy(b.value().storage(), n * colsB, o, n * cols + colsA, colsB);
    }
    Variable result = tape.output("ConcatColumns", out, a, b);
    if (result.requiresGrad()) {
      tape.record("ConcatColumns", result,
          dOut -> backward(dOut, colsA, colsB, a.gradBuffer(), b.gradBuffer()), a, b);
    }
    return result;
  }

  private static void backward(Tensor dOut, int colsA, int colsB, Tensor dA, Tensor dB) {
    int rows = dOut.dim(0);
    int cols = colsA + colsB;
    float[] g = dOut.storage();
    for (int n = 0; n < rows; n++) {
      // out[n, :] = [a[n, :] | b[n, :]]  ⇒  each input takes its own columns of dOut
      for (int j = 0; j < colsA && dA != null; j++) {
        dA.storage()[n * colsA + j] += g[n * cols + j];
      }
      for (int j = 0; j < colsB && dB != null; j++) {
        dB.storage()[n * colsB + j] += g[n * cols + colsA + j];
      }
    }
  }
}
