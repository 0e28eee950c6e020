package dev.tapegrad.ops;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;

/**
 * x without its size-1 dimensions, {@code torch.squeeze(x)}, or without one of them,
 * {@code torch.squeeze(x, dim)}: the same values, read with fewer dimensions.
 *
 * <pre>
 *   out[…] = x[…] with the index 0 dropped at each removed dimension
 * </pre>
 *
 * <p>Shapes: x any shape; out x's shape without every 1 (all of them → a rank-0 scalar from a
 * shape of ones), or without dimension d if it is 1. As in PyTorch, {@code squeeze(x, dim)} of a
 * dimension that is not 1 returns x's values unchanged in shape.
 *
 * <p>Derivative: the identity on the values; it is a {@link Reshape} (which shares x's storage and
 * records itself as {@code Reshape}), so that is its backward.
 */
public final class Squeeze {

  private Squeeze() {}

  /**
   * Returns x without any size-1 dimension.
   *
   * <pre>{@code
   * Variable v = Squeeze.apply(tape, x);   // (1, 3, 1) → (3)
   * }</pre>
   *
   * @param tape the tape to record on
   * @param x the input
   * @return the same values without the dimensions of size 1
   */
  public static Variable apply(Tape tape, Variable x) {
    int[] dims = x.shape().dims();
    int kept = 0;
    for (int n : dims) {
      kept += n == 1 ? 0 : 1;
    }
    int[] outDims = new int[kept];
    for (int k = 0, j = 0; k < dims.length; k++) {
      if (dims[k] != 1) {
        outDims[j++] = dims[k];
      }
    }
    return Reshape.apply(tape, x, outDims);
  }

  /**
   * Returns x without dimension {@code dim} if it has size 1, else with x's shape.
   *
   * <pre>{@code
   * Variable v = Squeeze.apply(tape, x, -1);   // (N, 1) → (N); (N, 3) stays (N, 3)
   * }</pre>
   *
   * @param tape the tape to record on
   * @param x the input
   * @param dim the dimension, negative counting from the end
   * @return the same values, dimension {@code dim} removed if it was 1
   * @throws IllegalArgumentException naming the shape if {@code dim} is out of range
   */
  public static Variable apply(Tape tape, Variable x, int dim) {
    int[] dims = x.shape().dims();
    // a rank-0 x has one position to name, as in PyTorch: dim 0 or −1
    int d = dims.length == 0 && (dim == 0 || dim == -1) ? -1 : Checks.dim("Squeeze", x.shape(), dim);
    if (d < 0 || dims[d] != 1) {
      return Reshape.apply(tape, x, dims);
    }
    int[] outDims = new int[dims.length - 1];
    for (int k = 0, j = 0; k < dims.length; k++) {
      if (k != d) {
        outDims[j++] = dims[k];
      }
    }
    return Reshape.apply(tape, x, outDims);
  }
}
