package dev.tapegrad.ops;

import dev.tapegrad.tensor.Shape;
import java.util.Arrays;

/**
 * Which dimensions a reduction removes, and the index maps every reduction kernel walks: the
 * shared plumbing of {@link Sum}, {@link Mean}, {@link Amax}, {@link LogSumExp}, {@link Var} and
 * the other reductions over several dimensions at once.
 *
 * <p><b>The maps.</b> Output element o gathers the {@code count} input elements
 * <pre>
 *   x[base[o] + offsets[k]]      k = 0 … count − 1
 * </pre>
 * where {@code base[o]} is the flat index in x of output o with every reduced index at 0, and
 * {@code offsets[k]} the flat offset of the k-th combination of reduced indices, both in row-major
 * order. So a reduction of the last dimension of an (R, C) matrix has {@code base = [0, C, 2C, …]}
 * and {@code offsets = [0, 1, …, C − 1]}, and of the first one {@code base = [0, 1, …, C − 1]},
 * {@code offsets = [0, C, 2C, …]}. The maps cost one int per output element plus one per reduced
 * combination, and are built once per call.
 *
 * <p><b>Dimensions</b> follow PyTorch: negative ones count from the end; a dimension named twice is
 * an error; an empty list reduces every dimension (torch 1.13's {@code dim=[]}); a rank-0 input
 * accepts dimension 0 or −1 and stays a scalar. With {@code keepDim} the reduced dimensions stay
 * as 1, so the result broadcasts against the input.
 */
final class ReducedDims {

  /** The output's shape: reduced dimensions removed, or kept as 1. */
  final Shape out;
  /** The input's shape with every reduced dimension as 1, whatever {@code keepDim} was. */
  final Shape kept;
  /** How many input elements reduce into each output element. */
  final int count;
  /** x's flat index of each output element's first input, one per output element. */
  final int[] base;
  /** The flat offset of each reduced combination, {@code count} of them, row-major. */
  final int[] offsets;
  /** The reduced dimension when exactly one was reduced (0 … rank − 1), else −1. */
  final int single;

  private ReducedDims(Shape out, Shape kept, int count, int[] base, int[] offsets, int single) {
    this.out = out;
    this.kept = kept;
    this.count = count;
    this.base = base;
    this.offsets = offsets;
    this.single = single;
  }

  /**
   * The maps for reducing {@code dims} of x.
   *
   * @param op the op's name, for messages
   * @param x the input's shape
   * @param dims the dimensions to reduce, negative counting from the end; empty for all
   * @param keepDim keep the reduced dimensions with size 1
   * @return the maps
   * @throws IllegalArgumentException naming the op, the shape and the dimension if one is out of
   *     range or named twice
   */
  static ReducedDims of(String op, Shape x, int[] dims, boolean keepDim) {
    int rank = x.rank();
    if (rank == 0) {
      // a scalar reduces over dimension 0 or −1 as if it were (1), and stays a scalar
      for (int d : dims) {
        if (d != 0 && d != -1) {
          throw new IllegalArgumentException(op + ": dimension " + d + " is out of range for shape " + x
              + " (a scalar accepts 0 or -1)");
        }
      }
      return new ReducedDims(x, x, 1, new int[] {0}, new int[] {0}, -1);
    }
    boolean[] reduced = new boolean[rank];
    for (int d : dims) {
      int k = Checks.dim(op, x, d);
      if (reduced[k]) {
        throw new IllegalArgumentException(op + ": dimension " + d + " appears twice in the dimensions to reduce of "
            + "shape " + x);
      }
      reduced[k] = true;
    }
    if (dims.length == 0) {
      Arrays.fill(reduced, true);
    }
    return of(x, reduced, keepDim);
  }

  /**
   * The maps for reducing every dimension of x: a scalar out, or all ones with {@code keepDim}.
   *
   * @param x the input's shape
   * @param keepDim keep every dimension with size 1
   * @return the maps
   */
  static ReducedDims all(Shape x, boolean keepDim) {
    return of("all", x, new int[0], keepDim);
  }

  private static ReducedDims of(Shape x, boolean[] reduced, boolean keepDim) {
    int rank = x.rank();
    int[] dims = x.dims();
    // row-major strides of x
    int[] strides = new int[rank];
    for (int d = rank - 1, s = 1; d >= 0; s *= dims[d], d--) {
      strides[d] = s;
    }
    int reducedCount = 0;
    int single = -1;
    for (int d = 0; d < rank; d++) {
      if (reduced[d]) {
        reducedCount++;
        single = single == -1 ? d : -2;
      }
    }
    int[] outDims = new int[keepDim ? rank : rank - reducedCount];
    int[] keptDims = new int[rank];
    for (int d = 0, j = 0; d < rank; d++) {
      keptDims[d] = reduced[d] ? 1 : dims[d];
      if (keepDim || !reduced[d]) {
        outDims[j++] = keptDims[d];
      }
    }
    int[] base = combinations(dims, strides, reduced, false);
    int[] offsets = combinations(dims, strides, reduced, true);
    return new ReducedDims(Shape.of(outDims), Shape.of(keptDims), offsets.length, base, offsets, Math.max(single, -1));
  }

  /**
   * The flat offsets of every combination of indices over the dimensions d with
   * {@code reduced[d] == which}, in row-major order (an odometer over those dimensions).
   */
  private static int[] combinations(int[] dims, int[] strides, boolean[] reduced, boolean which) {
    int n = 1;
    for (int d = 0; d < dims.length; d++) {
      n *= reduced[d] == which ? dims[d] : 1;
    }
    int[] result = new int[n];
    int[] index = new int[dims.length];
    int offset = 0;
    for (int c = 0; c < n; c++) {
      result[c] = offset;
      // next combination: the odometer, over the selected dimensions only
      for (int d = dims.length - 1; d >= 0; d--) {
        if (reduced[d] != which) {
          continue;
        }
        offset += strides[d];
        if (++index[d] < dims[d]) {
          break;
        }
        offset -= index[d] * strides[d];
        index[d] = 0;
      }
    }
    return result;
  }
}
