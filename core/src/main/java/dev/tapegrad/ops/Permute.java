package dev.tapegrad.ops;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.kernel.ShapeKernels;
import dev.tapegrad.tensor.Tensor;
import java.util.Arrays;

/**
 * The dimensions of x in another order, {@code torch.permute(x, dims)} (a copy).
 *
 * <pre>
 *   out[i_0, …, i_(r−1)] = x[j]   where j_(p(k)) = i_k     (dimension k of out is dimension p(k) of x)
 * </pre>
 *
 * <p>Shapes: x (n_0, …, n_(r−1)); out (n_p(0), …, n_p(r−1)). For example attention's
 * (B, T, heads, D) becomes (B, heads, T, D) with p = (0, 2, 1, 3).
 *
 * <p>Derivative: the inverse permutation of the gradient, {@code dX[j] += dOut[i]} for the same
 * pairs. Nothing but p is saved. {@link Transpose#apply(Tape, Variable, int, int)} is the
 * permutation that swaps two dimensions.
 *
 * <p>Note: PyTorch returns a view with permuted strides; Tapegrad's tensors are contiguous, so
 * this copies.
 */
public final class Permute {

  private Permute() {}

  /**
   * Returns x with its dimensions reordered.
   *
   * <pre>{@code
   * Variable heads = Permute.apply(tape, q, 0, 2, 1, 3);   // (B, T, h, D) → (B, h, T, D)
   * }</pre>
   *
   * @param tape the tape to record on
   * @param x the input
   * @param dims a permutation of x's dimensions, each negative counting from the end: out's
   *     dimension k is x's dimension {@code dims[k]}
   * @return the permuted copy
   * @throws IllegalArgumentException naming the shape and the dims if they are not a permutation
   *     of x's dimensions
   */
  public static Variable apply(Tape tape, Variable x, int... dims) {
    int rank = x.shape().rank();
    if (dims.length != rank) {
      throw new IllegalArgumentException("Permute: dims " + Arrays.toString(dims) + " name " + dims.length
          + " dimensions; shape " + x.shape() + " has " + rank);
    }
    int[] p = new int[rank];
    boolean[] seen = new boolean[rank];
    for (int k = 0; k < rank; k++) {
      p[k] = Checks.dim("Permute", x.shape(), dims[k]);
      if (seen[p[k]]) {
        throw new IllegalArgumentException("Permute: dims " + Arrays.toString(dims) + " repeat dimension " + dims[k]
            + " of shape " + x.shape());
      }
      seen[p[k]] = true;
    }
    int[] xDims = x.shape().dims();
    int[] xStrides = ShapeKernels.contiguousStrides(xDims);
    // out's dimension k walks x's dimension p(k): size n_p(k), stride s_p(k) in x
    int[] outDims = new int[rank];
    int[] viewStrides = new int[rank];
    for (int k = 0; k < rank; k++) {
      outDims[k] = xDims[p[k]];
      viewStrides[k] = xStrides[p[k]];
    }
    Tensor out = tape.zeros(outDims);
    ShapeKernels.copy(x.value().data(), 0, viewStrides, out.data(), 0, ShapeKernels.contiguousStrides(outDims),
        outDims);
    Variable result = tape.output("Permute", out, x);
    if (result.requiresGrad()) {
      tape.record("Permute", result, dOut -> backward(dOut, x.gradBuffer(), viewStrides), x);
    }
    return result;
  }

  private static void backward(Tensor dOut, Tensor dX, int[] viewStrides) {
    // out[i] = x[j] with j_(p(k)) = i_k  ⇒  dX[j] += dOut[i], walking out's order
    int[] dims = dOut.shape().dims();
    ShapeKernels.add(dOut.data(), 0, ShapeKernels.contiguousStrides(dims), dX.data(), 0, viewStrides, dims);
  }
}
