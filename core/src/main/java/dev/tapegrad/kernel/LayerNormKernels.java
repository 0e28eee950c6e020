package dev.tapegrad.kernel;

/**
 * Scalar reference layer normalisation over the rows of a rows×cols array, forward and the fused
 * backward (llm.c's {@code layernorm_forward} and {@code layernorm_backward}). The derivation is in
 * {@code ops.LayerNorm}'s javadoc.
 *
 * <p>Legend: r a row, i a column; μ_r and ρ_r the row's mean and reciprocal standard deviation
 * (rstd), saved by the forward for the backward; w and b the affine weight and bias, of cols
 * floats each, or {@code null} for none (w = 1, b = 0). Means and variances are summed in double.
 */
public final class LayerNormKernels {

  private LayerNormKernels() {}

  /**
   * For each row r: {@code μ = Σ_i x_i / cols}, {@code σ² = Σ_i (x_i − μ)² / cols} (biased, as
   * PyTorch), {@code ρ = 1 / √(σ² + eps)} and {@code out_i = (x_i − μ) · ρ · w_i + b_i}.
   *
   * @param x the input, rows×cols
   * @param weight w, cols, or {@code null}
   * @param bias b, cols, or {@code null}
   * @param out receives the output, rows×cols (overwritten)
   * @param mean receives μ of each row, rows
   * @param rstd receives ρ of each row, rows
   * @param rows the number of rows
   * @param cols the row length, the number of normalised elements
   * @param eps added to the variance
   */
  public static void forward(float[] x, float[] weight, float[] bias, float[] out, float[] mean, float[] rstd,
      int rows, int cols, float eps) {
    for (int r = 0; r < rows; r++) {
      int base = r * cols;
      // μ = Σ_i x_i / cols
      double sum = 0;
      for (int i = 0; i < cols; i++) {
        sum += x[base + i];
      }
      double mu = sum / cols;
      // σ² = Σ_i (x_i − μ)² / cols, two passes so that a large mean cancels exactly
      double squares = 0;
      for (int i = 0; i < cols; i++) {
        double centred = x[base + i] - mu;
        squares += centred * centred;
      }
      // ρ = 1 / √(σ² + eps)
      double rho = 1.0 / Math.sqrt(squares / cols + eps);
      mean[r] = (float) mu;
      rstd[r] = (float) rho;
      // out_i = (x_i − μ) ρ w_i + b_i, with x_i − μ in double: a row of nearly equal values has a
      // large ρ, which would magnify the rounding of a float μ into every output
      for (int i = 0; i < cols; i++) {
        float norm = (float) ((x[base + i] - mu) * rho);
        float scaled = weight == null ? norm : norm * weight[i];
        out[base + i] = bias == null ? scaled : scaled + bias[i];
      }
    }
  }

  /**
   * Accumulates the gradients of the layer norm, row by row, with {@code n_i = (x_i − μ) ρ} and
   * {@code g_i = dOut_i · w_i}:
   *
   * <pre>
   *   dB_i += Σ_r dOut_i
   *   dW_i += Σ_r dOut_i · n_i
   *   dX_i += ρ · (g_i − mean_j(g_j) − n_i · mean_j(g_j · n_j))
   * </pre>
   *
   * @param dOut the gradient of the output, rows×cols
   * @param x the saved input, rows×cols
   * @param weight w, cols, or {@code null}
   * @param mean the saved μ of each row
   * @param rstd the saved ρ of each row
   * @param dX accumulated into, rows×cols, or {@code null} to skip
   * @param dWeight accumulated into, cols, or {@code null} to skip
   * @param dBias accumulated into, cols, or {@code null} to skip
   * @param rows the number of rows
   * @param cols the row length
   */
  public static void backward(float[] dOut, float[] x, float[] weight, float[] mean, float[] rstd, float[] dX,
      float[] dWeight, float[] dBias, int rows, int cols) {
    for (int r = 0; r < rows; r++) {
      int base = r * cols;
      float m = mean[r];
      float rho = rstd[r];
      // the two row means the input gradient needs: mean(g) and mean(g ⊙ n)
      double gSum = 0;
      double gNormSum = 0;
      for (int i = 0; i < cols; i++) {
        float norm = (x[base + i] - m) * rho;
        float g = weight == null ? dOut[base + i] : dOut[base + i] * weight[i];
        gSum += g;
        gNormSum += (double) g * norm;
      }
      float gMean = (float) (gSum / cols);
      float gNormMean = (float) (gNormSum / cols);
      for (int i = 0; i < cols; i++) {
        float d = dOut[base + i];
        float norm = (x[base + i] - m) * rho;
        // out_i = n_i w_i + b_i  ⇒  dB_i += dOut_i, dW_i += dOut_i n_i
        if (dBias != null) {
          dBias[i] += d;
        }
        if (dWeight != null) {
          dWeight[i] += d * norm;
        }
        // n_i = (x_i − μ) ρ  ⇒  dX_i += ρ (g_i − mean(g) − n_i mean(g n))
        if (dX != null) {
          float g = weight == null ? d : d * weight[i];
          dX[base + i] += rho * (g - gMean - norm * gNormMean);
        }
      }
    }
  }
}
