package dev.tapegrad.ops;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.kernel.ElementwiseKernels;
import dev.tapegrad.tensor.Tensor;

/**
 * Swaps the last two dimensions ({@code x.transpose(-2, -1)}, or {@code x.T} of a matrix), as a
 * copy; {@link #apply(Tape, Variable, int, int)} swaps any two.
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
    // an empty matrix has no elements to move: no batch to walk
    int batch = rows * cols == 0 ? 0 : x.shape().size() / (rows * cols);
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

  /**
   * Returns x with dimensions {@code dim0} and {@code dim1} swapped, {@code torch.transpose(x,
   * dim0, dim1)}: the {@link Permute permutation} that exchanges the two, with its backward.
   *
   * <pre>{@code
   * Variable kT = Transpose.apply(tape, k, -2, -1);   // (B, h, T, D) → (B, h, D, T)
   * Variable tb = Transpose.apply(tape, x, 0, 1);     // (B, T, C) → (T, B, C)
   * }</pre>
   *
   * @param tape the tape to record on
   * @param x the input
   * @param dim0 one dimension, negative counting from the end
   * @param dim1 the other (equal to dim0: a copy of x)
   * @return the copy with the two dimensions swapped
   * @throws IllegalArgumentException naming the shape if a dimension is out of range
   */
  public static Variable apply(Tape tape, Variable x, int dim0, int dim1) {
    int rank = x.shape().rank();
    int d0 = rank == 0 && (dim0 == 0 || dim0 == -1) ? 0 : Checks.dim("Transpose", x.shape(), dim0);
    int d1 = rank == 0 && (dim1 == 0 || dim1 == -1) ? 0 : Checks.dim("Transpose", x.shape(), dim1);
    // the identity permutation with d0 and d1 exchanged
    int[] p = new int[rank];
    for (int k = 0; k < rank; k++) {
      p[k] = k == d0 ? d1 : k == d1 ? d0 : k;
    }
    return Permute.apply(tape, x, p);
  }

  private static void backward(Tensor dOut, Tensor dX, int batch, int rows, int cols) {
    // out[…, j, i] = x[…, i, j]  ⇒  dX[…, i, j] += dOut[…, j, i]
    ElementwiseKernels.transposeLastTwoBackward(dOut.data(), dX.data(), batch, rows, cols);
  }
}
