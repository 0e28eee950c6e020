package dev.tapegrad.ops;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;

/**
 * The index of the largest element, of the flattened input ({@code torch.argmax(x)}) or along one
 * dimension ({@code torch.argmax(x, dim, keepdim)}); the indices of {@link Max}.
 *
 * <pre>
 *   flat:       out = the first i with x_i = max x        (row-major index)
 *   along d:    out[o, i] = the first j with x[o, j, i] = max_k x[o, k, i]
 * </pre>
 *
 * <p>Shapes: flat, a scalar; along d, x's shape with d removed, or kept as 1. The result is a
 * constant (no gradient) holding whole numbers as floats, exact up to 2^24 (see
 * {@link ValuesAndIndices}); it compares with {@link Compare}. Ties pick the first occurrence; the
 * first NaN wins.
 */
public final class Argmax {

  private Argmax() {}

  /**
   * Returns the row-major index of the largest element of {@code x}.
   *
   * <pre>{@code
   * int best = (int) Argmax.apply(tape, scores).value().item();
   * }</pre>
   *
   * @param tape the tape whose arena holds the result
   * @param x the input
   * @return the index, a scalar constant
   * @throws IllegalArgumentException if x has more than 2^24 elements
   */
  public static Variable apply(Tape tape, Variable x) {
    return Max.positions("Argmax", tape, x, ReducedDims.all(x.shape(), false), true);
  }

  /**
   * Returns the index of the largest element along {@code dim}.
   *
   * <pre>{@code
   * Variable predicted = Argmax.apply(tape, logits, -1, false);   // (N, C) → (N)
   * Variable accuracy = Mean.apply(tape, Compare.apply(tape, predicted, Compare.Relation.EQ, targets));
   * }</pre>
   *
   * @param tape the tape whose arena holds the result
   * @param x the input
   * @param dim the dimension, negative counting from the end
   * @param keepDim keep it with size 1 instead of removing it
   * @return the indices, a constant
   * @throws IllegalArgumentException naming the shape if {@code dim} is out of range
   */
  public static Variable apply(Tape tape, Variable x, int dim, boolean keepDim) {
    return Max.positions("Argmax", tape, x, ReducedDims.of("Argmax", x.shape(), new int[] {dim}, keepDim), true);
  }
}
