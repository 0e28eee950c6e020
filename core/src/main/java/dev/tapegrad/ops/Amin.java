package dev.tapegrad.ops;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;

/**
 * The smallest element over one or several dimensions ({@code torch.amin(x, dim, keepdim)}):
 * {@link Amax} with the comparison reversed.
 *
 * <pre>
 *   out[o] = min_k x[base_o + offset_k]      k over every combination of indices in the dims D
 * </pre>
 *
 * <p>Shapes as {@link Amax}. Derivative: split evenly among the elements that attain the minimum.
 * Saved for backward: x and the output.
 */
public final class Amin {

  private Amin() {}

  /**
   * Returns the minima of {@code x} over {@code dims}.
   *
   * <pre>{@code
   * Variable lowest = Amin.apply(tape, x, new int[] {0, 1}, false);   // (A, B, C) → (C)
   * }</pre>
   *
   * @param tape the tape to record on
   * @param x the input
   * @param dims the dimensions to reduce, negative counting from the end, each at most once; empty
   *     for all
   * @param keepDim keep them with size 1 instead of removing them
   * @return the minima
   * @throws IllegalArgumentException naming the shape if a dimension is out of range or repeated
   */
  public static Variable apply(Tape tape, Variable x, int[] dims, boolean keepDim) {
    return Amax.extreme("Amin", tape, x, ReducedDims.of("Amin", x.shape(), dims, keepDim), false);
  }
}
