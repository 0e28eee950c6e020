package dev.tapegrad.ops;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.kernel.ShapeKernels;
import dev.tapegrad.tensor.Tensor;

/**
 * One position along one dimension, which the result no longer has: {@code torch.select(x, dim,
 * index)} or {@code x[..., index, ...]} (a copy).
 *
 * <pre>
 *   out[i_0, …, i_(d−1), i_(d+1), …] = x[i_0, …, i_(d−1), index, i_(d+1), …]
 * </pre>
 *
 * <p>Shapes: x (n_0, …, n_d, …), rank at least 1; out the same without n_d (a rank-0 scalar
 * from a 1-D x).
 *
 * <p>Derivative: {@code dX[…, index, …] += dOut[…]}; other positions receive nothing. Nothing but
 * the index is saved.
 *
 * <p>Note: PyTorch returns a view; this copies.
 */
public final class Select {

  private Select() {}

  /**
   * Returns position {@code index} of {@code x} along {@code dim}, removing the dimension.
   *
   * <pre>{@code
   * Variable lastStep = Select.apply(tape, h, 1, -1);   // h[:, -1, :], (B, L, H) → (B, H)
   * }</pre>
   *
   * @param tape the tape to record on
   * @param x the input, rank at least 1
   * @param dim the dimension, negative counting from the end
   * @param index the position, negative counting from the end
   * @return x without dimension {@code dim}
   * @throws IllegalArgumentException naming the shape, the dimension and the index if either is
   *     out of range
   */
  public static Variable apply(Tape tape, Variable x, int dim, int index) {
    int d = Checks.dim("Select", x.shape(), dim);
    int[] dims = x.shape().dims();
    int n = dims[d];
    int at = index < 0 ? index + n : index;
    if (at < 0 || at >= n) {
      throw new IllegalArgumentException("Select: index " + index + " is out of range for dimension " + dim
          + " (size " + n + ") of shape " + x.shape());
    }
    int[] strides = ShapeKernels.contiguousStrides(dims);
    int offset = at * strides[d];
    int[] outDims = without(dims, d);
    int[] viewStrides = without(strides, d);
    Tensor out = tape.zeros(outDims);
    // out = x read from offset index·s_d, with x's strides but dimension d's
    ShapeKernels.copy(x.value().data(), offset, viewStrides, out.data(), 0, ShapeKernels.contiguousStrides(outDims),
        outDims);
    Variable result = tape.output("Select", out, x);
    if (result.requiresGrad()) {
      tape.record("Select", result, dOut -> backward(dOut, x.gradBuffer(), offset, viewStrides), x);
    }
    return result;
  }

  private static void backward(Tensor dOut, Tensor dX, int offset, int[] viewStrides) {
    // out[…] = x[…, index, …]  ⇒  dX[…, index, …] += dOut[…]
    int[] dims = dOut.shape().dims();
    ShapeKernels.add(dOut.data(), 0, ShapeKernels.contiguousStrides(dims), dX.data(), offset, viewStrides, dims);
  }

  /** The array without entry d. */
  private static int[] without(int[] a, int d) {
    int[] kept = new int[a.length - 1];
    for (int k = 0, j = 0; k < a.length; k++) {
      if (k != d) {
        kept[j++] = a[k];
      }
    }
    return kept;
  }
}
