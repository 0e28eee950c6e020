package dev.tapegrad.ops;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.kernel.ElementwiseKernels;
import dev.tapegrad.tensor.Tensor;

/**
 * Swaps the last two dimensions ({@code x.transpose(-2, -1)}, or {@code x.T} of a matrix), as a
 * copy.
 *
 * <pre>
 *   out[…, j, i] = x[…, i, j]
 * </pre>
 *
 * <p>Shapes: x (…, M, N), rank at least 2; out (…, N, M).
 *
 * <p>Derivative: the transpose of the gradient, {@code dX[…, i, j] += dOut[…, j, i]}. Nothing is
 * saved for backward.
 *
 * <p>Note: PyTorch returns a view that shares x's storage; Tapegrad's tensors are always
 * contiguous, so this copies.
 */
public final class Transpose {

  private Transpose() {}

  /**
   * Returns x with its last two dimensions swapped.
   *
   * <pre>{@code
   * Variable scores = MatMul.apply(tape, q, Transpose.apply(tape, k));   // q kᵀ
   * }</pre>
   *
   * @param tape the tape to record on
   * @param x the input, (…, M, N)
   * @return the transpose, (…, N, M)
   * @throws IllegalArgumentException if x has fewer than two dimensions
   */
  public static Variable apply(Tape tape, Variable x) {
    int[] dims = x.shape().dims();
    if (dims.length < 2) {
      throw new IllegalArgumentException("Transpose: x must have at least 2 dimensions, got shape " + x.shape());
    }
    int rows = dims[dims.length - 2];
    int cols = dims[dims.length - 1];
    int batch = x.shape().size() / (rows * cols);
    dims[dims.length - 2] = cols;
    dims[dims.length - 1] = rows;
    Tensor out = tape.zeros(dims);
    ElementwiseKernels.transposeLastTwo(x.value().data(), out.data(), batch, rows, cols);
    Variable result = tape.output("Transpose", out, x);
    if (result.requiresGrad()) {
      tape.record("Transpose", result, dOut -> backward(dOut, x.gradBuffer(), batch, rows, cols), x);
    }
    return result;
  }

  private static void backward(Tensor dOut, Tensor dX, int batch, int rows, int cols) {
    // out[…, j, i] = x[…, i, j]  ⇒  dX[…, i, j] += dOut[…, j, i]
    ElementwiseKernels.transposeLastTwoBackward(dOut.data(), dX.data(), batch, rows, cols);
  }
}
