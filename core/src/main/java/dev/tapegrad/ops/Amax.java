package dev.tapegrad.ops;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.kernel.ReduceKernels;
import dev.tapegrad.tensor.Tensor;

/**
 * The largest element over one or several dimensions ({@code torch.amax(x, dim, keepdim)}); the
 * shared implementation of {@link Amin} and of {@link Max#apply(Tape, Variable)} (the maximum of
 * every element).
 *
 * <pre>
 *   out[o] = max_k x[base_o + offset_k]      k over every combination of indices in the dims D
 * </pre>
 *
 * <p>Shapes: x any shape; out x's shape with the dimensions D removed, or kept as 1 with
 * {@code keepDim}. A NaN in a reduction makes its result NaN, as in PyTorch.
 *
 * <p>Derivative: the gradient is split evenly among the elements that attain the maximum, as
 * PyTorch's {@code amax} documents ({@code amax} "evenly distributes gradient between equal
 * values"): {@code dX_i = dOut / t} for each of the t tied elements, 0 elsewhere. (For the maximum
 * along one dimension with its index, where the gradient goes to one chosen element, use
 * {@link Max#apply(Tape, Variable, int, boolean)}.) Saved for backward: x and the output, to find
 * the ties again.
 */
public final class Amax {

  private Amax() {}

  /** What backward needs: the input, the extremes, and the reduction's index maps. */
  private record Saved(Tensor x, Tensor out, ReducedDims r) {}

  /**
   * Returns the maxima of {@code x} over {@code dims}.
   *
   * <pre>{@code
   * Variable rowMax = Amax.apply(tape, scores, new int[] {-1}, true);   // (N, C) → (N, 1)
   * Variable shifted = Sub.apply(tape, scores, rowMax);                   // every row's maximum now 0
   * }</pre>
   *
   * @param tape the tape to record on
   * @param x the input
   * @param dims the dimensions to reduce, negative counting from the end, each at most once; empty
   *     for all
   * @param keepDim keep them with size 1 instead of removing them
   * @return the maxima
   * @throws IllegalArgumentException naming the shape if a dimension is out of range or repeated
   */
  public static Variable apply(Tape tape, Variable x, int[] dims, boolean keepDim) {
    return extreme("Amax", tape, x, ReducedDims.of("Amax", x.shape(), dims, keepDim), true);
  }

  /**
   * The maximum or minimum over a reduction, with the tie-splitting gradient.
   *
   * @param op the op's name
   * @param tape the tape to record on
   * @param x the input
   * @param r the reduction
   * @param max true for the maximum, false for the minimum
   * @return the extremes
   */
  static Variable extreme(String op, Tape tape, Variable x, ReducedDims r, boolean max) {
    Tensor out = tape.zeros(r.out);
    ReduceKernels.extreme(x.value().data(), r.base, r.offsets, out.data(), max);
    Variable result = tape.output(op, out, x);
    if (result.requiresGrad()) {
      Saved saved = new Saved(x.value(), out, r);
      tape.record(op, result, dOut -> backward(dOut, saved, x.gradBuffer()), x);
    }
    return result;
  }

  private static void backward(Tensor dOut, Saved s, Tensor dX) {
    // out = max_k x_k  ⇒  dX_k += dOut / t where x_k = out (t such ties), 0 elsewhere
    ReduceKernels.extremeBackward(dOut.data(), s.x().data(), s.out().data(), s.r().base, s.r().offsets, dX.data());
  }
}
