package dev.tapegrad.ops;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;

/**
 * The index of the smallest element, of the flattened input ({@code torch.argmin(x)}) or along
 * one dimension ({@code torch.argmin(x, dim, keepdim)}): {@link Argmax} with the comparison
 * reversed, and like it a constant of whole numbers as floats.
 *
 * <pre>
 *   flat:       out = the first i with x_i = min x
 *   along d:    out[o, i] = the first j with x[o, j, i] = min_k x[o, k, i]
 * </pre>
 */
public final class Argmin {

  private Argmin() {}

  /**
   * Returns the row-major index of the smallest element of {@code x}.
   *
   * <pre>{@code
   * int nearest = (int) Argmin.apply(tape, distances).value().item();
   * }</pre>
   *
   * @param tape the tape whose arena holds the result
   * @param x the input
   * @return the index, a scalar constant
   * @throws IllegalArgumentException if x has more than 2^24 elements
   */
  public static Variable apply(Tape tape, Variable x) {
    return Max.positions("Argmin", tape, x, ReducedDims.all(x.shape(), false), false);
  }

  /**
   * Returns the index of the smallest element along {@code dim}.
   *
   * <pre>{@code
   * Variable nearest = Argmin.apply(tape, distances, 1, false);   // (N, K) → (N)
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
    return Max.positions("Argmin", tape, x, ReducedDims.of("Argmin", x.shape(), new int[] {dim}, keepDim), false);
  }
}
