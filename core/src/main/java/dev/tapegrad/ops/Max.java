package dev.tapegrad.ops;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.kernel.ReduceKernels;
import dev.tapegrad.tensor.Tensor;

/**
 * The maximum of every element ({@code torch.max(x)}), or along one dimension with where it was
 * found ({@code torch.max(x, dim, keepdim)} → (values, indices)); the shared implementation of
 * {@link Min}, {@link Argmax} and {@link Argmin}.
 *
 * <pre>
 *   all:        out = max_i x_i
 *   along d:    values[o, i] = x[o, j*, i],  indices[o, i] = j* = the first j with x[o, j, i] = max_k x[o, k, i]
 * </pre>
 *
 * <p>Shapes: x any shape, (outer, n, inner) around dimension d; all: a scalar; along d: values and
 * indices x's shape with d removed, or kept as 1 with {@code keepDim}. Ties pick the first
 * occurrence, as PyTorch's CPU kernel does; a NaN counts as larger than any number, so the first
 * NaN is chosen and propagates.
 *
 * <p>Derivatives: along d, the gradient goes to the chosen element only,
 * {@code dX[o, j*, i] += dValues[o, i]}; the indices are constants. Of every element, the gradient
 * is split evenly among tied maxima, as PyTorch does for a full reduction (see {@link Amax}). Saved
 * for backward: the chosen positions (along d), or x and the maximum (all).
 */
public final class Max {

  /** A float holds every integer up to 2^24 exactly: the longest dimension an index may range over. */
  static final int MAX_INDEXED_LENGTH = 1 << 24;

  private Max() {}

  /**
   * Returns the largest element of {@code x}, a scalar.
   *
   * <pre>{@code
   * Variable peak = Max.apply(tape, activations);
   * }</pre>
   *
   * @param tape the tape to record on
   * @param x the input
   * @return its maximum
   */
  public static Variable apply(Tape tape, Variable x) {
    return Amax.extreme("Max", tape, x, ReducedDims.all(x.shape(), false), true);
  }

  /**
   * Returns the largest element along {@code dim} and its index.
   *
   * <pre>{@code
   * ValuesAndIndices best = Max.apply(tape, logits, -1, false);   // (N, C) → values (N), indices (N)
   * int[] predicted = best.indexArray();
   * }</pre>
   *
   * @param tape the tape to record on
   * @param x the input
   * @param dim the dimension, negative counting from the end
   * @param keepDim keep it with size 1 instead of removing it
   * @return the maxima (differentiable) and their indices (a constant)
   * @throws IllegalArgumentException naming the shape if {@code dim} is out of range
   */
  public static ValuesAndIndices apply(Tape tape, Variable x, int dim, boolean keepDim) {
    return alongDim("Max", tape, x, dim, keepDim, true);
  }

  /**
   * The extreme along one dimension with its index, shared with {@link Min}.
   *
   * @param op the op's name
   * @param tape the tape to record on
   * @param x the input
   * @param dim the dimension
   * @param keepDim whether to keep it with size 1
   * @param max true for the maximum, false for the minimum
   * @return the values and indices
   */
  static ValuesAndIndices alongDim(String op, Tape tape, Variable x, int dim, boolean keepDim, boolean max) {
    ReducedDims r = ReducedDims.of(op, x.shape(), new int[] {dim}, keepDim);
    int[] chosen = new int[r.base.length];
    Tensor values = tape.zeros(r.out);
    ReduceKernels.argExtreme(x.value().data(), r.base, r.offsets, values.data(), chosen, max);
    Variable result = tape.output(op, values, x);
    if (result.requiresGrad()) {
      tape.record(op, result, dOut -> backward(dOut, r, chosen, x.gradBuffer()), x);
    }
    return new ValuesAndIndices(result, indexVariable(op, tape, r, chosen));
  }

  private static void backward(Tensor dOut, ReducedDims r, int[] chosen, Tensor dX) {
    // values[o] = x[base_o + offset_{j*}]  ⇒  dX[base_o + offset_{j*}] += dValues[o], nothing elsewhere
    ReduceKernels.chosenBackward(dOut.data(), r.base, r.offsets, chosen, dX.data());
  }

  /**
   * The positions of the extremes over a reduction, shared with {@link Argmax} and {@link Argmin}.
   *
   * @param op the op's name
   * @param tape the tape whose arena holds the result
   * @param x the input
   * @param r the reduction
   * @param max true for the maximum, false for the minimum
   * @return the positions, a constant
   */
  static Variable positions(String op, Tape tape, Variable x, ReducedDims r, boolean max) {
    int[] chosen = new int[r.base.length];
    ReduceKernels.argExtreme(x.value().data(), r.base, r.offsets, new float[chosen.length], chosen, max);
    return indexVariable(op, tape, r, chosen);
  }

  /** Whole-number positions as a constant float tensor of the reduction's shape. */
  private static Variable indexVariable(String op, Tape tape, ReducedDims r, int[] chosen) {
    if (r.count > MAX_INDEXED_LENGTH) {
      throw new IllegalArgumentException(op + ": cannot index a reduction of " + r.count
          + " elements: indices are floats, exact up to 2^24");
    }
    Tensor indices = tape.zeros(r.out);
    float[] data = indices.data();
    for (int o = 0; o < chosen.length; o++) {
      data[o] = chosen[o];
    }
    return tape.output(op + "Indices", indices);
  }
}
