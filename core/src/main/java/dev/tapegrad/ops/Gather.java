package dev.tapegrad.ops;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.kernel.IndexKernels;
import dev.tapegrad.kernel.ShapeKernels;
import dev.tapegrad.tensor.IntTensor;
import dev.tapegrad.tensor.Shape;
import dev.tapegrad.tensor.Tensor;

/**
 * One element of x per index element, picked along one dimension, {@code torch.gather(x, dim,
 * index)}. For a 3-D x and d = 1:
 *
 * <pre>
 *   out[i, j, k] = x[i, index[i, j, k], k]
 * </pre>
 *
 * <p>Shapes: x (n_0, …, n_(r−1)); index of the same rank r with {@code index.dim(k) ≤ n_k} for
 * every k ≠ d (any size along d), values in [0, n_d); out has the index's shape. Picking the
 * target class's log-probability from (N, C) is {@code gather(logp, 1, targets as (N, 1))}.
 *
 * <p>Derivative: the adjoint of gather is a scatter-add, {@code dX[i, index[i, j, k], k] +=
 * dOut[i, j, k]}; an element picked twice receives both gradients. Saved for backward: the index
 * (immutable, so not copied).
 */
public final class Gather {

  private Gather() {}

  /**
   * Returns x's elements at {@code index} along {@code dim}.
   *
   * <pre>{@code
   * IntTensor t = IntTensor.of(new int[] {2, 0}, 2, 1);
   * Variable picked = Gather.apply(tape, logp, 1, t);   // (2, C) → (2, 1): logp[0, 2], logp[1, 0]
   * }</pre>
   *
   * @param tape the tape to record on
   * @param x the input
   * @param dim the dimension picked along, negative counting from the end
   * @param index positions along {@code dim}, x's rank, no larger than x elsewhere
   * @return the picked elements, the index's shape
   * @throws IllegalArgumentException naming both shapes if the ranks differ, the index is larger
   *     than x outside {@code dim}, or an index is out of range
   */
  public static Variable apply(Tape tape, Variable x, int dim, IntTensor index) {
    int d = gatherDim("Gather", x.shape(), dim, index);
    requireWithin("Gather", index.shape(), x.shape(), d, "x");
    int[] positions = index.toArray();
    Checks.indices("Gather", positions, x.shape(), d);
    int[] indexDims = index.shape().dims();
    int[] xStrides = ShapeKernels.contiguousStrides(x.shape().dims());
    Tensor out = tape.zeros(index.shape());
    IndexKernels.gather(x.value().data(), xStrides, d, positions, indexDims, out.data(),
        ShapeKernels.contiguousStrides(indexDims), false);
    Variable result = tape.output("Gather", out, x);
    if (result.requiresGrad()) {
      tape.record("Gather", result, dOut -> backward(dOut, positions, d, x.gradBuffer(), xStrides), x);
    }
    return result;
  }

  private static void backward(Tensor dOut, int[] index, int d, Tensor dX, int[] xStrides) {
    // out[p] = x[p with index[p] at d]  ⇒  dX[p with index[p] at d] += dOut[p]
    int[] dims = dOut.shape().dims();
    IndexKernels.scatterAdd(dOut.data(), ShapeKernels.contiguousStrides(dims), d, index, dims, dX.data(), xStrides);
  }

  /**
   * Checks the shared rules of gather and scatter-add: the index has x's rank, and dim is one of
   * x's dimensions (so x has at least one; PyTorch also takes a rank-0 x, Tapegrad does not).
   */
  static int gatherDim(String op, Shape x, int dim, IntTensor index) {
    if (index.rank() != x.rank()) {
      throw new IllegalArgumentException(op + ": index of shape " + index.shape() + " must have the rank of x's shape "
          + x);
    }
    return Checks.dim(op, x, dim);
  }

  /** Checks that the index is no larger than {@code other} along every dimension but d (or every one if d &lt; 0). */
  static void requireWithin(String op, Shape index, Shape other, int d, String what) {
    for (int k = 0; k < index.rank(); k++) {
      if (k != d && index.dim(k) > other.dim(k)) {
        throw new IllegalArgumentException(op + ": index of shape " + index + " is larger than " + what + " of shape "
            + other + " at dimension " + k);
      }
    }
  }
}
