package dev.tapegrad.ops;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.kernel.ReduceKernels;
import dev.tapegrad.tensor.Tensor;

/**
 * The standard deviation over one or several dimensions ({@code torch.std(x, dim, correction=1,
 * keepdim)}): the square root of {@link Var}, unbiased by default.
 *
 * <pre>
 *   μ_o = (1/n) Σ_k x_k,   σ_o = √( Σ_k (x_k − μ_o)² / (n − c) )      x_k = x[base_o + offset_k]
 * </pre>
 *
 * <p>Shapes, correction and the divisor as {@link Var}.
 *
 * <p>Derivative: {@code ∂σ/∂x_k = (x_k − μ) / ((n − c) σ)}; where σ = 0 (every element equal) the
 * gradient is 0, as PyTorch masks it, instead of the 0/0 that {@code Sqrt(Var(x))} would give.
 * Saved for backward: x, the means μ and the output σ.
 */
public final class Std {

  private Std() {}

  /** What backward needs: the input, the means, σ, the divisor n − c, and the index maps. */
  private record Saved(Tensor x, Tensor mean, Tensor std, int divisor, ReducedDims r) {}

  /**
   * Returns the unbiased standard deviation of every element of {@code x}, a scalar.
   *
   * @param tape the tape to record on
   * @param x the input
   * @return the standard deviation, with correction 1
   */
  public static Variable apply(Tape tape, Variable x) {
    return apply(tape, x, new int[0], 1, false);
  }

  /**
   * Returns the unbiased standard deviations of {@code x} over {@code dims} (correction 1).
   *
   * <pre>{@code
   * Variable scale = Std.apply(tape, x, new int[] {0}, false);   // (N, C) → (C): per feature
   * }</pre>
   *
   * @param tape the tape to record on
   * @param x the input
   * @param dims the dimensions to reduce, negative counting from the end, each at most once; empty
   *     for all
   * @param keepDim keep them with size 1 instead of removing them
   * @return the standard deviations
   * @throws IllegalArgumentException naming the shape if a dimension is out of range or repeated
   */
  public static Variable apply(Tape tape, Variable x, int[] dims, boolean keepDim) {
    return apply(tape, x, dims, 1, keepDim);
  }

  /**
   * Returns the standard deviations of {@code x} over {@code dims} with a given correction.
   *
   * <pre>{@code
   * Variable sigma = Std.apply(tape, x, new int[] {-1}, 0, true);   // population σ of every row
   * }</pre>
   *
   * @param tape the tape to record on
   * @param x the input
   * @param dims the dimensions to reduce, negative counting from the end, each at most once; empty
   *     for all
   * @param correction subtracted from n in the divisor: 1 unbiased, 0 the population
   * @param keepDim keep them with size 1 instead of removing them
   * @return the standard deviations
   * @throws IllegalArgumentException naming the shape if a dimension is out of range or repeated,
   *     or if the correction is negative
   */
  public static Variable apply(Tape tape, Variable x, int[] dims, int correction, boolean keepDim) {
    ReducedDims r = ReducedDims.of("Std", x.shape(), dims, keepDim);
    Tensor mean = Tensor.zeros(r.out);
    Tensor out = tape.zeros(r.out);
    int divisor = Var.moments("Std", x, r, correction, mean, out);
    // σ = √variance
    float[] sigma = out.data();
    for (int o = 0; o < sigma.length; o++) {
      sigma[o] = (float) Math.sqrt(sigma[o]);
    }
    Variable result = tape.output("Std", out, x);
    if (result.requiresGrad()) {
      Saved saved = new Saved(x.value(), mean, out, divisor, r);
      tape.record("Std", result, dOut -> backward(dOut, saved, x.gradBuffer()), x);
    }
    return result;
  }

  private static void backward(Tensor dOut, Saved s, Tensor dX) {
    // σ = √(Σ_k (x_k − μ)² / (n − c))  ⇒  dX_k += dOut · (x_k − μ) / ((n − c) σ), and 0 where σ = 0
    float[] g = new float[dOut.size()];
    for (int o = 0; o < g.length; o++) {
      float sigma = s.std().data()[o];
      g[o] = sigma == 0f ? 0f : dOut.data()[o] / (s.divisor() * sigma);
    }
    ReduceKernels.centredBackward(g, s.x().data(), s.mean().data(), s.r().base, s.r().offsets, dX.data());
  }
}
