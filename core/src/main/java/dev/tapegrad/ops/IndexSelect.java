package dev.tapegrad.ops;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.kernel.IndexKernels;
import dev.tapegrad.tensor.IntTensor;
import dev.tapegrad.tensor.Tensor;

/**
 * Whole slices of x picked by a list of positions along one dimension,
 * {@code torch.index_select(x, dim, index)}.
 *
 * <pre>
 *   out[…, k, …] = x[…, index[k], …]     k at dimension d
 * </pre>
 *
 * <p>Shapes: x (…, n, …) of rank at least 1; index (K) or a rank-0 index (K = 1), each value in
 * [0, n) (repeats allowed); out x's shape with K at dimension d. An {@link Embedding} lookup is
 * an index select along dimension 0 of its table.
 *
 * <p>Derivative: the adjoint of picking is adding back, PyTorch's {@code index_add}:
 * {@code dX[…, index[k], …] += dOut[…, k, …]}, so a position picked twice receives both
 * gradients. Saved for backward: the index (immutable, so it is not copied).
 */
public final class IndexSelect {

  private IndexSelect() {}

  /**
   * Returns the slices of x at {@code index} along {@code dim}.
   *
   * <pre>{@code
   * Variable rows = IndexSelect.apply(tape, x, 0, IntTensor.of(new int[] {2, 0, 2}));   // rows 2, 0, 2
   * }</pre>
   *
   * @param tape the tape to record on
   * @param x the input, rank at least 1
   * @param dim the dimension, negative counting from the end
   * @param index the positions, 1-D or rank 0, each in [0, n)
   * @return x's slices at those positions
   * @throws IllegalArgumentException naming the shapes if {@code dim} is out of range, the index
   *     has rank above 1, or an index is out of range
   */
  public static Variable apply(Tape tape, Variable x, int dim, IntTensor index) {
    int d = Checks.dim("IndexSelect", x.shape(), dim);
    if (index.rank() > 1) {
      throw new IllegalArgumentException("IndexSelect: index must be 1-D or 0-D, got shape " + index.shape()
          + " (x has shape " + x.shape() + ")");
    }
    int[] positions = index.toArray();
    Checks.indices("IndexSelect", positions, x.shape(), d);
    int[] dims = x.shape().dims();
    int n = dims[d];
    int outer = product(dims, 0, d);
    int inner = product(dims, d + 1, dims.length);
    dims[d] = positions.length;
    Tensor out = tape.zeros(dims);
    IndexKernels.indexSelect(x.value().data(), positions, out.data(), outer, n, inner);
    Variable result = tape.output("IndexSelect", out, x);
    if (result.requiresGrad()) {
      tape.record("IndexSelect", result, dOut -> backward(dOut, positions, x.gradBuffer(), outer, n, inner), x);
    }
    return result;
  }

  private static void backward(Tensor dOut, int[] index, Tensor dX, int outer, int n, int inner) {
    // out[o, k, i] = x[o, index[k], i]  ⇒  dX[o, index[k], i] += dOut[o, k, i]
    IndexKernels.indexAdd(dOut.data(), index, dX.data(), outer, n, inner);
  }

  /** The product of {@code dims[from .. to)}. */
  static int product(int[] dims, int from, int to) {
    int p = 1;
    for (int k = from; k < to; k++) {
      p *= dims[k];
    }
    return p;
  }
}
