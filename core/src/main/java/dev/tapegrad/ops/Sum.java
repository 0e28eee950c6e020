package dev.tapegrad.ops;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.kernel.ElementwiseKernels;
import dev.tapegrad.tensor.Shape;
import dev.tapegrad.tensor.Tensor;

/**
 * The sum of all elements, or along one dimension ({@code torch.sum(x)}, {@code torch.sum(x, dim,
 * keepdim)}).
 *
 * <pre>
 *   all:        out = Σ_i x_i
 *   along d:    out[o, i] = Σ_k x[o, k, i]      x viewed as (outer, n, inner), n = x's size along d
 * </pre>
 *
 * <p>Shapes: x any shape; out a scalar (all), or x's shape with dimension d removed, or kept as 1
 * with {@code keepDim} (which then broadcasts against x). Sums are accumulated in double.
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
