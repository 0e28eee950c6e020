package dev.tapegrad.ops;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.kernel.ShapeKernels;
import dev.tapegrad.tensor.Tensor;

/**
 * A block of consecutive positions along one dimension, {@code torch.narrow(x, dim, start,
 * length)} or {@code x[..., start:start+length, ...]} (a copy).
 *
 * <pre>
 *   out[…, j, …] = x[…, start + j, …]     for 0 ≤ j &lt; length, j at dimension d
 * </pre>
 *
 * <p>Shapes: x (n_0, …, n_d, …); out the same with n_d replaced by {@code length}, which may be 0.
 *
 * <p>Derivative: the adjoint of taking a block is putting it back,
 * {@code dX[…, start + j, …] += dOut[…, j, …]}; the rest of x receives nothing. Nothing but the
 * bounds is saved. {@link Split} and {@link Chunk} are narrows side by side.
 *
 * <p>Note: PyTorch returns a view sharing x's storage; Tapegrad's tensors are contiguous, so this
 * copies, and writing to the result does not write to x.
 */
public final class Narrow {

  private Narrow() {}

  /**
   * Returns positions {@code [start, start + length)} of {@code x} along {@code dim}.
   *
   * <pre>{@code
   * Variable firstTwo = Narrow.apply(tape, x, -1, 0, 2);   // x[..., 0:2]
   * }</pre>
   *
   * @param tape the tape to record on
   * @param x the input
   * @param dim the dimension, negative counting from the end
   * @param start the first position; negative counts from the end, as in PyTorch
   * @param length how many positions, at least 0
   * @return the block, x's shape with {@code length} at {@code dim}
   * @throws IllegalArgumentException naming the shape, the dimension and the bounds if the block
   *     does not fit in x
   */
  public static Variable apply(Tape tape, Variable x, int dim, int start, int length) {
    int d = Checks.dim("Narrow", x.shape(), dim);
    int[] dims = x.shape().dims();
    int n = dims[d];
    int from = start < 0 ? start + n : start;
    if (from < 0 || from > n || length < 0 || from + length > n) {
      throw new IllegalArgumentException("Narrow: start " + start + " and length " + length
          + " do not fit in dimension " + dim + " (size " + n + ") of shape " + x.shape());
    }
    int[] strides = ShapeKernels.contiguousStrides(dims);
    int offset = from * strides[d];
    dims[d] = length;
    Tensor out = tape.zeros(dims);
    // out = x read from offset start·s_d with x's strides, over out's dimensions
    ShapeKernels.copy(x.value().data(), offset, strides, out.data(), 0, ShapeKernels.contiguousStrides(dims), dims);
    Variable result = tape.output("Narrow", out, x);
    if (result.requiresGrad()) {
      tape.record("Narrow", result, dOut -> backward(dOut, x.gradBuffer(), offset, strides), x);
    }
    return result;
  }

  private static void backward(Tensor dOut, Tensor dX, int offset, int[] xStrides) {
    // out[…, j, …] = x[…, start + j, …]  ⇒  dX[…, start + j, …] += dOut[…, j, …]
    int[] dims = dOut.shape().dims();
    ShapeKernels.add(dOut.data(), 0, ShapeKernels.contiguousStrides(dims), dX.data(), offset, xStrides, dims);
  }
}
