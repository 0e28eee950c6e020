package dev.tapegrad.ops;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.kernel.ElementwiseKernels;
import dev.tapegrad.kernel.IndexKernels;
import dev.tapegrad.kernel.ShapeKernels;
import dev.tapegrad.tensor.IntTensor;
import dev.tapegrad.tensor.Tensor;

/**
 * x with src's elements added at positions an index names along one dimension,
 * {@code torch.scatter_add(x, dim, index, src)} (out of place). For a 3-D x and d = 1:
 *
 * <pre>
 *   out = x;   out[i, index[i, j, k], k] += src[i, j, k]   for every (i, j, k) of the index
 * </pre>
 *
 * <p>Shapes: x (n_0, …, n_(r−1)); index and src of rank r; the index no larger than src along
 * every dimension and no larger than x along every dimension but d; values in [0, n_d); out has
 * x's shape. Elements of src outside the index's shape are not used.
 *
 * <p>Derivatives: out is x plus terms that do not depend on x, so {@code dX += dOut}; each src
 * element was added at one place, so it receives that place's gradient, a gather:
 * {@code dSrc[i, j, k] += dOut[i, index[i, j, k], k]} (and nothing where src is outside the
 * index). Saved for backward: the index (immutable, so not copied).
 */
public final class ScatterAdd {

  private ScatterAdd() {}

  /**
   * Returns x plus src scattered along {@code dim} by {@code index}.
   *
   * <pre>{@code
   * // counts per class: zeros(C) with 1 added at each target
   * Variable counts = ScatterAdd.apply(tape, zeros, 0, targets, ones);
   * }</pre>
   *
   * @param tape the tape to record on
   * @param x the values added to
   * @param dim the dimension scattered along, negative counting from the end
   * @param index positions along {@code dim}, rank of x, no larger than src, nor than x outside
   *     {@code dim}
   * @param src the values added
   * @return the sum, x's shape
   * @throws IllegalArgumentException naming the shapes if the ranks differ, the index is too large,
   *     or an index is out of range
   */
  public static Variable apply(Tape tape, Variable x, int dim, IntTensor index, Variable src) {
    int d = Gather.gatherDim("ScatterAdd", x.shape(), dim, index);
    if (src.shape().rank() != index.rank()) {
      throw new IllegalArgumentException("ScatterAdd: index of shape " + index.shape()
          + " must have the rank of src's shape " + src.shape());
    }
    Gather.requireWithin("ScatterAdd", index.shape(), src.shape(), -1, "src");
    Gather.requireWithin("ScatterAdd", index.shape(), x.shape(), d, "x");
    int[] positions = index.toArray();
    Checks.indices("ScatterAdd", positions, x.shape(), d);
    int[] indexDims = index.shape().dims();
    int[] xStrides = ShapeKernels.contiguousStrides(x.shape().dims());
    int[] srcStrides = ShapeKernels.contiguousStrides(src.shape().dims());
    Tensor out = tape.zeros(x.shape());
    // out = x, then out[p with index[p] at d] += src[p]
    System.arraycopy(x.value().data(), 0, out.data(), 0, out.size());
    IndexKernels.scatterAdd(src.value().data(), srcStrides, d, positions, indexDims, out.data(), xStrides);
    Variable result = tape.output("ScatterAdd", out, x, src);
    if (result.requiresGrad()) {
      tape.record("ScatterAdd", result,
          dOut -> backward(dOut, positions, indexDims, d, xStrides, srcStrides, x.gradBuffer(), src.gradBuffer()),
          x, src);
    }
    return result;
  }

  private static void backward(Tensor dOut, int[] index, int[] indexDims, int d, int[] xStrides, int[] srcStrides,
      Tensor dX, Tensor dSrc) {
    if (dX != null) {
      // out = x + …  ⇒  dX += dOut
      ElementwiseKernels.axpy(1f, dOut.data(), dX.data());
    }
    if (dSrc != null) {
      // out[p with index[p] at d] += src[p]  ⇒  dSrc[p] += dOut[p with index[p] at d]
      IndexKernels.gather(dOut.data(), xStrides, d, index, indexDims, dSrc.data(), srcStrides, true);
    }
  }
}
