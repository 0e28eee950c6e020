package dev.tapegrad.ops;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.kernel.ReduceKernels;
import dev.tapegrad.tensor.Tensor;

/**
 * The variance over one or several dimensions ({@code torch.var(x, dim, correction=1,
 * keepdim)}), unbiased by default as in PyTorch; the moments it computes are shared with
 * {@link Std}.
 *
 * <pre>
 *   μ_o = (1/n) Σ_k x_k,   out[o] = Σ_k (x_k − μ_o)² / (n − c)      x_k = x[base_o + offset_k]
 * </pre>
 *
 * <p>Shapes: x any shape; out x's shape with the dimensions removed, or kept as 1 with
 * {@code keepDim}. n is the number of elements each output gathers, c the correction: 1 (Bessel's,
 * the default) or 0 (the population variance). Mean and sum of squares are taken in double, in two
 * passes. When {@code n − c ≤ 0} the divisor is 0, as in PyTorch: +∞, or NaN for a single element.
 *
 * <p>Derivative: {@code ∂out/∂x_k = 2 (x_k − μ) / (n − c)} (the terms through μ sum to zero).
 * Saved for backward: x and the means μ.
 */
public final class Var {

  private Var() {}

  /** What backward needs: the input, the means, the divisor n − c, and the index maps. */
  private record Saved(Tensor x, Tensor mean, int divisor, ReducedDims r) {}

  /**
   * Returns the unbiased variance of every element of {@code x}, a scalar.
   *
   * @param tape the tape to record on
   * @param x the input
   * @return the variance, with correction 1
   */
  public static Variable apply(Tape tape, Variable x) {
    return apply(tape, x, new int[0], 1, false);
  }

  /**
   * Returns the unbiased variances of {@code x} over {@code dims} (correction 1).
   *
   * <pre>{@code
   * Variable spread = Var.apply(tape, x, new int[] {-1}, true);   // (N, C) → (N, 1)
   * }</pre>
   *
   * @param tape the tape to record on
   * @param x the input
   * @param dims the dimensions to reduce, negative counting from the end, each at most once; empty
   *     for all
   * @param keepDim keep them with size 1 instead of removing them
   * @return the variances
   * @throws IllegalArgumentException naming the shape if a dimension is out of range or repeated
   */
  public static Variable apply(Tape tape, Variable x, int[] dims, boolean keepDim) {
    return apply(tape, x, dims, 1, keepDim);
  }

  /**
   * Returns the variances of {@code x} over {@code dims} with a given correction.
   *
   * <pre>{@code
   * Variable biased = Var.apply(tape, x, new int[] {-1}, 0, true);   // what LayerNorm normalises by
   * }</pre>
   *
   * @param tape the tape to record on
   * @param x the input
   * @param dims the dimensions to reduce, negative counting from the end, each at most once; empty
   *     for all
   * @param correction subtracted from n in the divisor: 1 unbiased, 0 the population variance
   * @param keepDim keep them with size 1 instead of removing them
   * @return the variances
   * @throws IllegalArgumentException naming the shape if a dimension is out of range or repeated,
   *     or if the correction is negative
   */
  public static Variable apply(Tape tape, Variable x, int[] dims, int correction, boolean keepDim) {
    ReducedDims r = ReducedDims.of("Var", x.shape(), dims, keepDim);
    Tensor mean = Tensor.zeros(r.out);
    Tensor out = tape.zeros(r.out);
    int divisor = moments("Var", x, r, correction, mean, out);
    Variable result = tape.output("Var", out, x);
    if (result.requiresGrad()) {
      Saved saved = new Saved(x.value(), mean, divisor, r);
      tape.record("Var", result, dOut -> backward(dOut, saved, x.gradBuffer()), x);
    }
    return result;
  }

  private static void backward(Tensor dOut, Saved s, Tensor dX) {
    // out = Σ_k (x_k − μ)² / (n − c)  ⇒  dX_k += dOut · 2 (x_k − μ) / (n − c)
    float[] g = new float[dOut.size()];
    for (int o = 0; o < g.length; o++) {
      g[o] = 2f * dOut.data()[o] / s.divisor();
    }
    ReduceKernels.centredBackward(g, s.x().data(), s.mean().data(), s.r().base, s.r().offsets, dX.data());
  }

  /**
   * Computes the means and variances of a reduction, shared with {@link Std}.
   *
   * @param op the op's name
   * @param x the input
   * @param r the reduction
   * @param correction subtracted from n
   * @param mean receives the means
   * @param variance receives the variances
   * @return the divisor {@code max(0, n − correction)}
   * @throws IllegalArgumentException if the correction is negative
   */
  static int moments(String op, Variable x, ReducedDims r, int correction, Tensor mean, Tensor variance) {
    if (correction < 0) {
      throw new IllegalArgumentException(op + ": correction must be 0 or more, got " + correction + " (shape "
          + x.shape() + ")");
    }
    ReduceKernels.moments(x.value().data(), r.base, r.offsets, mean.data(), variance.data(), correction);
    return Math.max(0, r.count - correction);
  }
}
