package dev.tapegrad.ops;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;

/**
 * Dimensions {@code startDim} to {@code endDim} merged into one, {@code torch.flatten(x,
 * start_dim, end_dim)}: the same values, read with fewer dimensions.
 *
 * <pre>
 *   (n_0, …, n_s, …, n_e, …)  →  (n_0, …, n_s · … · n_e, …)
 * </pre>
 *
 * <p>Shapes: x any shape (a rank-0 x becomes shape (1), as in PyTorch); out as above.
 *
 * <p>Derivative: the identity on the values; it is a {@link Reshape} (which shares x's storage and
 * records itself as {@code Reshape}), so that is its backward.
 */
public final class Flatten {

  private Flatten() {}

  /**
   * Returns x with dimensions {@code startDim} through {@code endDim} merged.
   *
   * <pre>{@code
   * Variable rows = Flatten.apply(tape, x, 0, -2);   // (B, T, C) → (B·T, C)
   * Variable flat = Flatten.apply(tape, x, 0, -1);   // any shape → (N)
   * }</pre>
   *
   * @param tape the tape to record on
   * @param x the input
   * @param startDim the first dimension merged, negative counting from the end
   * @param endDim the last dimension merged, not before {@code startDim}
   * @return the same values with the merged shape
   * @throws IllegalArgumentException naming the shape if a dimension is out of range or
   *     {@code startDim} comes after {@code endDim}
   */
  public static Variable apply(Tape tape, Variable x, int startDim, int endDim) {
    int[] dims = x.shape().dims();
    if (dims.length == 0) {
      if (!(startDim == 0 || startDim == -1) || !(endDim == 0 || endDim == -1)) {
        throw new IllegalArgumentException("Flatten: dimensions " + startDim + " to " + endDim
            + " are out of range for shape " + x.shape());
      }
      return Reshape.apply(tape, x, 1);
    }
    int s = Checks.dim("Flatten", x.shape(), startDim);
    int e = Checks.dim("Flatten", x.shape(), endDim);
    if (s > e) {
      throw new IllegalArgumentException("Flatten: start dimension " + startDim + " comes after end dimension "
          + endDim + " in shape " + x.shape());
    }
    int[] outDims = new int[dims.length - (e - s)];
    for (int k = 0, j = 0; k < dims.length; k++) {
      if (k <= s || k > e) {
        outDims[j++] = dims[k];
      } else {
        // n_s · … · n_e, accumulated into the merged dimension
        outDims[j - 1] *= dims[k];
      }
    }
    return Reshape.apply(tape, x, outDims);
  }
}
