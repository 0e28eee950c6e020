package dev.tapegrad.ops;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.tensor.Shape;

/**
 * x with a new dimension of size 1, {@code torch.unsqueeze(x, dim)}: the same values, read with
 * one more dimension.
 *
 * <pre>
 *   out[i_0, …, i_(d−1), 0, i_d, …] = x[i_0, …, i_(d−1), i_d, …]
 * </pre>
 *
 * <p>Shapes: x (n_0, …, n_(r−1)); out of rank r + 1 with a 1 at dimension d, from {@code -(r+1)}
 * to r (a negative d counts from the end of the result: −1 appends).
 *
 * <p>Derivative: the identity on the values; it is a {@link Reshape} (which shares x's storage and
 * records itself as {@code Reshape}), so that is its backward.
 */
public final class Unsqueeze {

  private Unsqueeze() {}

  /**
   * Returns x with a size-1 dimension inserted at {@code dim}.
   *
   * <pre>{@code
   * Variable row = Unsqueeze.apply(tape, bias, 0);    // (C) → (1, C)
   * Variable col = Unsqueeze.apply(tape, x, -1);      // (N) → (N, 1)
   * }</pre>
   *
   * @param tape the tape to record on
   * @param x the input
   * @param dim where the new dimension goes, from {@code -(rank+1)} to {@code rank}
   * @return the same values with one more dimension
   * @throws IllegalArgumentException naming the shape if {@code dim} is out of range
   */
  public static Variable apply(Tape tape, Variable x, int dim) {
    int d = dim("Unsqueeze", x.shape(), dim);
    int[] dims = x.shape().dims();
    int[] outDims = new int[dims.length + 1];
    for (int k = 0, j = 0; k < outDims.length; k++) {
      outDims[k] = k == d ? 1 : dims[j++];
    }
    return Reshape.apply(tape, x, outDims);
  }

  /**
   * Returns the index of a new dimension in a result of rank {@code shape.rank() + 1}: a negative
   * {@code dim} counts from that result's end, as PyTorch's unsqueeze and stack do.
   */
  static int dim(String op, Shape shape, int dim) {
    int rank = shape.rank() + 1;
    int d = dim < 0 ? dim + rank : dim;
    if (d < 0 || d >= rank) {
      throw new IllegalArgumentException(op + ": dimension " + dim + " is out of range for inserting a dimension "
          + "into shape " + shape + " (from " + -rank + " to " + (rank - 1) + ")");
    }
    return d;
  }
}
