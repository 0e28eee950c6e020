package dev.tapegrad.ops;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.kernel.ElementwiseKernels;
import dev.tapegrad.kernel.ReduceKernels;
import dev.tapegrad.tensor.Shape;
import dev.tapegrad.tensor.Tensor;

/**
 * The sum of all elements, or along one or several dimensions ({@code torch.sum(x)},
 * {@code torch.sum(x, dim, keepdim)} with dim an int or a list).
 *
 * <pre>
 *   all:        out = Σ_i x_i
 *   along d:    out[o, i] = Σ_k x[o, k, i]      x viewed as (outer, n, inner), n = x's size along d
 *   along D:    out[o] = Σ_k x[base_o + offset_k]   k over every combination of indices in the dims D
 * </pre>
 *
 * <p>Shapes: x any shape; out a scalar (all), or x's shape with the reduced dimensions removed, or
 * kept as 1 with {@code keepDim} (which then broadcasts against x). Sums are accumulated in double.
 *
 * <p>Derivative: {@code ∂out/∂x_i = 1}: every element receives the gradient of the sum it went into.
 * Nothing is saved.
 */
public final class Sum {

  private Sum() {}

  /**
   * Returns the sum of {@code x}'s elements.
   *
   * <pre>{@code
   * Variable total = Sum.apply(tape, Mul.apply(tape, w, x));
   * }</pre>
   *
   * @param tape the tape to record on
   * @param x the input
   * @return a scalar
   */
  public static Variable apply(Tape tape, Variable x) {
    Tensor out = Tensor.scalar((float) ElementwiseKernels.sum(x.value().data()));
    Variable result = tape.output("Sum", out, x);
    if (result.requiresGrad()) {
      tape.record("Sum", result, dOut -> backward(dOut, x.gradBuffer()), x);
    }
    return result;
  }

  private static void backward(Tensor dOut, Tensor dX) {
    // out = Σ_i x_i  ⇒  dX_i += dOut
    float[] dx = dX.data();
    float g = dOut.item();
    for (int i = 0; i < dx.length; i++) {
      dx[i] += g;
    }
  }

  /**
   * Returns the sums of {@code x} along dimension {@code dim}.
   *
   * <pre>{@code
   * Variable rowSums = Sum.apply(tape, x, -1, true);   // (N, C) → (N, 1)
   * Variable colSums = Sum.apply(tape, x, 0, false);   // (N, C) → (C)
   * }</pre>
   *
   * @param tape the tape to record on
   * @param x the input
   * @param dim the dimension to sum over, negative counting from the end
   * @param keepDim keep it with size 1 (PyTorch's {@code keepdim=True}) instead of removing it
   * @return the sums
   * @throws IllegalArgumentException naming the shape if {@code dim} is out of range
   */
  public static Variable apply(Tape tape, Variable x, int dim, boolean keepDim) {
    return alongDim("Sum", tape, x, dim, keepDim, false);
  }

  /**
   * Returns the sums of {@code x} over several dimensions at once ({@code torch.sum(x, dims,
   * keepdim)}). One dimension gives exactly {@link #apply(Tape, Variable, int, boolean)}; an empty
   * array reduces every dimension, as torch 1.13's {@code dim=[]} does.
   *
   * <pre>{@code
   * Variable perChannel = Sum.apply(tape, x, new int[] {0, 2}, false);   // (N, C, L) → (C)
   * }</pre>
   *
   * @param tape the tape to record on
   * @param x the input
   * @param dims the dimensions to sum over, negative counting from the end, each at most once
   * @param keepDim keep them with size 1 instead of removing them
   * @return the sums
   * @throws IllegalArgumentException naming the shape if a dimension is out of range or repeated
   */
  public static Variable apply(Tape tape, Variable x, int[] dims, boolean keepDim) {
    return overDims("Sum", tape, x, dims, keepDim, false);
  }

  /**
   * The reduction over several dimensions, shared with {@link Mean}: a sum divided by 1, or by the
   * number of elements each output gathers. One dimension takes {@link #alongDim}, so that its
   * bits do not depend on which form was called.
   *
   * @param op the op's name
   * @param tape the tape to record on
   * @param x the input
   * @param dims the dimensions to reduce; empty for all
   * @param keepDim whether to keep them with size 1
   * @param mean whether to divide by the count
   * @return the reduction
   */
  static Variable overDims(String op, Tape tape, Variable x, int[] dims, boolean keepDim, boolean mean) {
    if (dims.length == 1 && x.shape().rank() > 0) {
      return alongDim(op, tape, x, dims[0], keepDim, mean);
    }
    ReducedDims r = ReducedDims.of(op, x.shape(), dims, keepDim);
    int divisor = mean ? r.count : 1;
    Tensor out = tape.zeros(r.out);
    ReduceKernels.sum(x.value().data(), r.base, r.offsets, out.data(), divisor);
    Variable result = tape.output(op, out, x);
    if (result.requiresGrad()) {
      tape.record(op, result, dOut -> backwardOverDims(dOut, x.gradBuffer(), r, divisor), x);
    }
    return result;
  }

  private static void backwardOverDims(Tensor dOut, Tensor dX, ReducedDims r, int divisor) {
    // out[o] = Σ_k x[base_o + offset_k] / divisor  ⇒  dX[base_o + offset_k] += dOut[o] / divisor
    ReduceKernels.sumBackward(dOut.data(), r.base, r.offsets, dX.data(), divisor);
  }

  /**
   * The reduction along one dimension, shared with {@link Mean}: a sum divided by 1, or by n.
   *
   * @param op the op's name
   * @param tape the tape to record on
   * @param x the input
   * @param dim the dimension to reduce
   * @param keepDim whether to keep it with size 1
   * @param mean whether to divide by the dimension's size
   * @return the reduction
   */
  static Variable alongDim(String op, Tape tape, Variable x, int dim, boolean keepDim, boolean mean) {
    int d = Checks.dim(op, x.shape(), dim);
    int[] dims = x.shape().dims();
    int n = dims[d];
    int outer = 1;
    for (int k = 0; k < d; k++) {
      outer *= dims[k];
    }
    int inner = 1;
    for (int k = d + 1; k < dims.length; k++) {
      inner *= dims[k];
    }
    int divisor = mean ? n : 1;
    Tensor out = tape.zeros(reducedShape(dims, d, keepDim));
    ElementwiseKernels.sumDimForward(x.value().data(), out.data(), outer, n, inner, divisor);
    Variable result = tape.output(op, out, x);
    if (result.requiresGrad()) {
      int outers = outer;
      int inners = inner;
      tape.record(op, result, dOut -> backwardAlongDim(dOut, x.gradBuffer(), outers, n, inners, divisor), x);
    }
    return result;
  }

  private static void backwardAlongDim(Tensor dOut, Tensor dX, int outer, int n, int inner, int divisor) {
    // out[o, i] = Σ_k x[o, k, i] / divisor  ⇒  dX[o, k, i] += dOut[o, i] / divisor
    ElementwiseKernels.sumDimBackward(dOut.data(), dX.data(), outer, n, inner, divisor);
  }

  /** x's dimensions without dimension d, or with it as 1. */
  private static Shape reducedShape(int[] dims, int d, boolean keepDim) {
    if (keepDim) {
      dims[d] = 1;
      return Shape.of(dims);
    }
    int[] kept = new int[dims.length - 1];
    for (int k = 0, j = 0; k < dims.length; k++) {
      if (k != d) {
        kept[j++] = dims[k];
      }
    }
    return Shape.of(kept);
  }
}
