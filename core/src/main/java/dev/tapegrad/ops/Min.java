package dev.tapegrad.ops;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;

/**
 * The minimum of every element ({@code torch.min(x)}), or along one dimension with where it was
 * found ({@code torch.min(x, dim, keepdim)} → (values, indices)): {@link Max} with the comparison
 * reversed.
 *
 * <pre>
 *   all:        out = min_i x_i
 *   along d:    values[o, i] = x[o, j*, i],  indices[o, i] = j* = the first j with x[o, j, i] = min_k x[o, k, i]
 * </pre>
 *
 * <p>Shapes, ties, NaN and derivatives as {@link Max}: along d the gradient goes to the chosen
 * element, of every element it is split evenly among tied minima.
 */
public final class Min {

  private Min() {}

  /**
   * Returns the smallest element of {@code x}, a scalar.
   *
   * <pre>{@code
   * Variable lowest = Min.apply(tape, x);
   * }</pre>
   *
   * @param tape the tape to record on
   * @param x the input
   * @return its minimum
   */
  public static Variable apply(Tape tape, Variable x) {
    return Amax.extreme("Min", tape, x, ReducedDims.all(x.shape(), false), false);
  }

  /**
   * Returns the smallest element along {@code dim} and its index.
   *
   * <pre>{@code
   * ValuesAndIndices nearest = Min.apply(tape, distances, 1, false);   // (N, K) → (N), (N)
   * }</pre>
   *
   * @param tape the tape to record on
   * @param x the input
   * @param dim the dimension, negative counting from the end
   * @param keepDim keep it with size 1 instead of removing it
   * @return the minima (differentiable) and their indices (a constant)
   * @throws IllegalArgumentException naming the shape if {@code dim} is out of range
   */
  public static ValuesAndIndices apply(Tape tape, Variable x, int dim, boolean keepDim) {
    return Max.alongDim("Min", tape, x, dim, keepDim, false);
  }
}
