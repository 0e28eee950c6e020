package dev.tapegrad.ops;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.kernel.ShapeKernels;
import dev.tapegrad.tensor.Tensor;

/**
 * Every {@code step}-th position of a range along one dimension, Python's and PyTorch's
 * {@code x[..., start:end:step, ...]} (a copy).
 *
 * <pre>
 *   out[…, j, …] = x[…, start + j·step, …]     for 0 ≤ j &lt; ⌈(end − start) / step⌉
 * </pre>
 *
 * <p>The bounds follow Python's slices: a negative {@code start} or {@code end} counts from the
 * end, and both are then clamped into {@code [0, n]}, so {@code end = Integer.MAX_VALUE} means
 * "to the end" and an empty range gives a size-0 dimension. {@code step} must be positive, as in
 * PyTorch.
 *
 * <p>Shapes: x (…, n, …); out the same with n replaced by the number of positions taken.
 *
 * <p>Derivative: {@code dX[…, start + j·step, …] += dOut[…, j, …]}; positions not taken receive
 * nothing. Nothing but the bounds is saved.
 *
 * <p>Note: PyTorch returns a view; this copies.
 */
public final class Slice {

  private Slice() {}

  /**
   * Returns {@code x[..., start:end:step, ...]} along {@code dim}.
   *
   * <pre>{@code
   * Variable evens = Slice.apply(tape, x, 1, 0, Integer.MAX_VALUE, 2);   // x[:, ::2]
   * Variable lastThree = Slice.apply(tape, x, 0, -3, Integer.MAX_VALUE, 1); // x[-3:]
   * }</pre>
   *
   * @param tape the tape to record on
   * @param x the input
   * @param dim the dimension, negative counting from the end
   * @param start the first position, Python-style (negative from the end, clamped)
   * @param end the position after the last, Python-style
   * @param step the distance between positions taken, at least 1
   * @return the slice
   * @throws IllegalArgumentException naming the shape if {@code dim} is out of range or
   *     {@code step} is not positive
   */
  public static Variable apply(Tape tape, Variable x, int dim, int start, int end, int step) {
    int d = Checks.dim("Slice", x.shape(), dim);
    if (step < 1) {
      throw new IllegalArgumentException("Slice: step " + step + " must be positive (dimension " + dim + " of shape "
          + x.shape() + ")");
    }
    int[] dims = x.shape().dims();
    int n = dims[d];
    int from = clamp(start, n);
    int to = clamp(end, n);
    // ⌈(to − from) / step⌉ positions, none for an empty range
    int count = to > from ? (to - from + step - 1) / step : 0;
    int[] strides = ShapeKernels.contiguousStrides(dims);
    int offset = from * strides[d];
    int[] viewStrides = strides.clone();
    viewStrides[d] *= step;
    dims[d] = count;
    Tensor out = tape.zeros(dims);
    // out = x read from offset start·s_d, moving step·s_d per position along d
    ShapeKernels.copy(x.value().data(), offset, viewStrides, out.data(), 0, ShapeKernels.contiguousStrides(dims),
        dims);
    Variable result = tape.output("Slice", out, x);
    if (result.requiresGrad()) {
      tape.record("Slice", result, dOut -> backward(dOut, x.gradBuffer(), offset, viewStrides), x);
    }
    return result;
  }

  private static void backward(Tensor dOut, Tensor dX, int offset, int[] viewStrides) {
    // out[…, j, …] = x[…, start + j·step, …]  ⇒  dX[…, start + j·step, …] += dOut[…, j, …]
    int[] dims = dOut.shape().dims();
    ShapeKernels.add(dOut.data(), 0, ShapeKernels.contiguousStrides(dims), dX.data(), offset, viewStrides, dims);
  }

  /** A Python slice bound: negative counts from the end, then clamped into [0, n]. */
  private static int clamp(int bound, int n) {
    long b = bound < 0 ? (long) bound + n : bound;
    return (int) Math.max(0, Math.min(n, b));
  }
}
