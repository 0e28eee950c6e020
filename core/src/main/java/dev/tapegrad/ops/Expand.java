package dev.tapegrad.ops;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.kernel.ShapeKernels;
import dev.tapegrad.tensor.Tensor;
import java.util.Arrays;

/**
 * x repeated along its size-1 dimensions and along new leading ones, {@code x.expand(sizes)}
 * (a copy): the broadcast of x to a given shape.
 *
 * <pre>
 *   out[i_0, …, i_(q−1)] = x[j_0, …, j_(r−1)]    j_k = 0 where x's dimension k is 1, else the
 *                                               matching i (x aligned at the last dimension)
 * </pre>
 *
 * <p>Shapes: x (n_0, …, n_(r−1)); out (m_0, …, m_(q−1)) with q ≥ r. Aligned at the end, each
 * m equals x's n, or x's n is 1 (then m is any size, 0 included); the q − r leading dimensions are
 * new. A size of {@code -1} keeps x's dimension.
 *
 * <p>Derivative: each element of x was read at every position it was repeated to, so it receives
 * the sum of their gradients: {@code dX[j] += Σ dOut[i]} over the expanded dimensions. Nothing
 * but the strides is saved.
 *
 * <p>Note: PyTorch returns a view with stride 0 on the expanded dimensions; this copies.
 */
public final class Expand {

  private Expand() {}

  /**
   * Returns x expanded to {@code sizes}.
   *
   * <pre>{@code
   * Variable rows = Expand.apply(tape, bias, 4, -1);   // (C) → (4, C)
   * Variable cols = Expand.apply(tape, x, -1, 3);      // (N, 1) → (N, 3)
   * }</pre>
   *
   * @param tape the tape to record on
   * @param x the input
   * @param sizes the result's dimensions, at least x's rank of them; {@code -1} keeps x's size
   * @return the expanded copy
   * @throws IllegalArgumentException naming both shapes if x cannot expand to {@code sizes}
   */
  public static Variable apply(Tape tape, Variable x, int... sizes) {
    int[] xDims = x.shape().dims();
    int rank = sizes.length;
    int lead = rank - xDims.length;
    if (lead < 0) {
      throw new IllegalArgumentException("Expand: shape " + x.shape() + " cannot expand to " + Arrays.toString(sizes)
          + ", which has fewer dimensions");
    }
    int[] xStrides = ShapeKernels.contiguousStrides(xDims);
    int[] outDims = new int[rank];
    int[] viewStrides = new int[rank];
    for (int k = 0; k < rank; k++) {
      int j = k - lead;
      int n = j >= 0 ? xDims[j] : 1;
      int m = sizes[k] == -1 && j >= 0 ? n : sizes[k];
      if (m < 0 || m != n && n != 1) {
        throw new IllegalArgumentException("Expand: shape " + x.shape() + " cannot expand to "
            + Arrays.toString(sizes) + ": dimension " + k + " is " + sizes[k] + " against "
            + (j >= 0 ? String.valueOf(n) : "a new dimension") + " (it must be equal, or x's must be 1)");
      }
      outDims[k] = m;
      // a new or size-1 dimension repeats: stride 0; any other walks x as before
      viewStrides[k] = j >= 0 && n != 1 ? xStrides[j] : 0;
    }
    Tensor out = tape.zeros(outDims);
    ShapeKernels.copy(x.value().data(), 0, viewStrides, out.data(), 0, ShapeKernels.contiguousStrides(outDims),
        outDims);
    Variable result = tape.output("Expand", out, x);
    if (result.requiresGrad()) {
      tape.record("Expand", result, dOut -> backward(dOut, x.gradBuffer(), viewStrides), x);
    }
    return result;
  }

  private static void backward(Tensor dOut, Tensor dX, int[] viewStrides) {
    // out[i] = x[j(i)]  ⇒  dX[j] += Σ_(i: j(i) = j) dOut[i]: stride 0 sums the expanded dimensions
    int[] dims = dOut.shape().dims();
    ShapeKernels.add(dOut.data(), 0, ShapeKernels.contiguousStrides(dims), dX.data(), 0, viewStrides, dims);
  }
}
