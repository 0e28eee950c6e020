package dev.tapegrad.ops;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.kernel.LayerNormKernels;
import dev.tapegrad.tensor.Shape;
import dev.tapegrad.tensor.Tensor;
import java.util.Arrays;

/**
 * Layer normalisation over the last dimensions, {@code torch.nn.functional.layer_norm}, with a
 * hand-written fused backward (llm.c's layernorm).
 *
 * <pre>
 *   μ   = (1/C) Σ_i x_i                   over the C elements of the normalised dimensions
 *   σ²  = (1/C) Σ_i (x_i − μ)²            biased, as PyTorch
 *   ρ   = 1 / √(σ² + eps)                 "rstd"
 *   n_i = (x_i − μ) ρ
 *   out_i = n_i w_i + b_i
 * </pre>
 *
 * <p>Shapes: x (…, D1, …, Dk) whose last k dimensions are {@code normalizedShape}; C = D1·…·Dk;
 * weight w and bias b of shape {@code normalizedShape}, or absent (w = 1, b = 0); out x's shape.
 * Each of the R = size / C rows is normalised on its own.
 *
 * <p>Derivatives, for one row, with g_i = dOut_i w_i the gradient reaching n_i. From
 * ∂μ/∂x_j = 1/C, ∂σ²/∂x_j = 2 (x_j − μ) / C and so ∂ρ/∂x_j = −ρ³ (x_j − μ) / C = −ρ² n_j / C:
 *
 * <pre>
 *   ∂n_i/∂x_j = ρ (δ_ij − 1/C) + (x_i − μ) ∂ρ/∂x_j = ρ (δ_ij − 1/C − n_i n_j / C)
 *   dX_j = Σ_i g_i ∂n_i/∂x_j = ρ ( g_j − mean_i(g_i) − n_j · mean_i(g_i n_i) )
 *   dW_i = Σ_rows dOut_i n_i          dB_i = Σ_rows dOut_i
 * </pre>
 *
 * <p>Saved for backward: x, w, and μ and ρ of every row (2R floats), as PyTorch and llm.c save
 * them; n is recomputed from them in backward rather than kept (C floats per row saved, at the
 * cost of one subtraction and one product per element).
 */
public final class LayerNorm {

  private LayerNorm() {}

  /** What backward needs: the input, the weight (or null), each row's mean and rstd, and the sizes. */
  private record Saved(Tensor x, Tensor weight, float[] mean, float[] rstd, int rows, int cols) {}

  /**
   * Returns x normalised over its last dimensions, scaled by weight and shifted by bias.
   *
   * <pre>{@code
   * // x (B, T, C): normalise each position's C features
   * Variable y = LayerNorm.apply(tape, x, new int[] {C}, weight, bias, 1e-5f);
   * }</pre>
   *
   * @param tape the tape to record on
   * @param x the input, whose trailing dimensions are {@code normalizedShape}
   * @param normalizedShape the dimensions to normalise over, at least one
   * @param weight w, of shape {@code normalizedShape}, or {@code null} for none
   * @param bias b, of shape {@code normalizedShape}, or {@code null} for none
   * @param eps added to the variance, at least 0 (PyTorch's default is 1e-5)
   * @return the output, x's shape
   * @throws IllegalArgumentException naming the shapes if x does not end with
   *     {@code normalizedShape}, if weight or bias has another shape, or if eps is negative or NaN
   */
  public static Variable apply(Tape tape, Variable x, int[] normalizedShape, Variable weight, Variable bias,
      float eps) {
    Shape normalized = Shape.of(normalizedShape);
    int[] dims = x.shape().dims();
    int k = normalized.rank();
    if (k == 0 || k > dims.length
        || !Arrays.equals(Arrays.copyOfRange(dims, dims.length - k, dims.length), normalizedShape)) {
      throw new IllegalArgumentException("LayerNorm: input shape " + x.shape() + " does not end with normalized shape "
          + normalized + " (need at least one normalised dimension)");
    }
    requireShape("weight", weight, normalized);
    requireShape("bias", bias, normalized);
    if (!(eps >= 0f)) {
      throw new IllegalArgumentException("LayerNorm: eps must be at least 0, got " + eps);
    }
    int cols = normalized.size();
    // the product of the leading sizes (not size / C, which a zero-size dimension would divide by)
    int rows = Shape.of(Arrays.copyOf(dims, dims.length - k)).size();
    Tensor out = tape.zeros(x.shape());
    // μ and ρ of every row, kept for backward (borrowed from the tape's arena, like the output)
    float[] mean = tape.zeros(rows).data();
    float[] rstd = tape.zeros(rows).data();
    LayerNormKernels.forward(x.value().data(), weight == null ? null : weight.value().data(),
        bias == null ? null : bias.value().data(), out.data(), mean, rstd, rows, cols, eps);
    Variable[] inputs = inputs(x, weight, bias);
    Variable result = tape.output("LayerNorm", out, inputs);
    if (result.requiresGrad()) {
      Saved saved = new Saved(x.value(), weight == null ? null : weight.value(), mean, rstd, rows, cols);
      tape.record("LayerNorm", result, dOut -> backward(dOut, saved, x.gradBuffer(),
          weight == null ? null : weight.gradBuffer(), bias == null ? null : bias.gradBuffer()), inputs);
    }
    return result;
  }

  private static void backward(Tensor dOut, Saved s, Tensor dX, Tensor dWeight, Tensor dBias) {
    // out_i = n_i w_i + b_i       ⇒  dW_i += dOut_i n_i, dB_i += dOut_i
    // n_i = (x_i − μ) ρ           ⇒  dX_j += ρ (g_j − mean(g) − n_j mean(g n)), g = dOut ⊙ w
    LayerNormKernels.backward(dOut.data(), s.x().data(), s.weight() == null ? null : s.weight().data(), s.mean(),
        s.rstd(), dX == null ? null : dX.data(), dWeight == null ? null : dWeight.data(),
        dBias == null ? null : dBias.data(), s.rows(), s.cols());
  }

  private static void requireShape(String what, Variable v, Shape normalized) {
    if (v != null && !v.shape().equals(normalized)) {
      throw new IllegalArgumentException(
          "LayerNorm: " + what + " shape " + v.shape() + " does not match normalized shape " + normalized);
    }
  }

  private static Variable[] inputs(Variable x, Variable weight, Variable bias) {
    if (weight != null && bias != null) {
      return new Variable[] {x, weight, bias};
    }
    if (weight != null) {
      return new Variable[] {x, weight};
    }
    return bias != null ? new Variable[] {x, bias} : new Variable[] {x};
  }
}
