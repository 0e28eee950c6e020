package dev.tapegrad.kernel;

/**
 * The Adam update over one flat parameter: a door that hands over to {@link AdamSimd} when
 * {@link Vectors#ON} (bitwise the same), with the scalar reference right below.
 */
public final class AdamKernels {

  private AdamKernels() {}

  /**
   * One Adam step, exactly as {@code torch.optim.Adam} (and AdamW when {@code weightDecay > 0}):
   *
   * <pre>
   *   p ← p − lr · weightDecay · p                   (decoupled weight decay, AdamW)
   *   m ← β1 m + (1 − β1) g
   *   v ← β2 v + (1 − β2) g²
   *   p ← p − lr · (m / (1 − β1^t)) / (sqrt(v / (1 − β2^t)) + eps)
   * </pre>
   *
   * Note: eps is added after the square root of the bias-corrected second moment, as PyTorch
   * does, not inside it.
   *
   * @param param the parameter, updated in place
   * @param grad its gradient
   * @param m the first moment, updated in place
   * @param v the second moment, updated in place
   * @param lr the learning rate
   * @param beta1 first-moment decay
   * @param beta2 second-moment decay
   * @param eps the denominator's floor
   * @param weightDecay decoupled weight decay (0 for plain Adam)
   * @param step the step number t, from 1
   */
  public static void step(float[] param, float[] grad, float[] m, float[] v, float lr, float beta1, float beta2,
      float eps, float weightDecay, long step) {
    if (Vectors.ON) {
      AdamSimd.stepSimd(param, grad, m, v, lr, beta1, beta2, eps, weightDecay, step);
      return;
    }
    stepReference(param, grad, m, v, lr, beta1, beta2, eps, weightDecay, step);
  }

  /** The scalar loop of {@link #step}; same arguments. */
  public static void stepReference(float[] param, float[] grad, float[] m, float[] v, float lr, float beta1,
      float beta2, float eps, float weightDecay, long step) {
    double biasCorrection1 = 1.0 - Math.pow(beta1, step);
    double biasCorrection2 = 1.0 - Math.pow(beta2, step);
    // PyTorch: step_size = lr / bc1; denom = sqrt(v) / sqrt(bc2) + eps
    float stepSize = (float) (lr / biasCorrection1);
    float sqrtBc2 = (float) Math.sqrt(biasCorrection2);
    float decay = 1f - lr * weightDecay;
    for (int i = 0; i < param.length; i++) {
      float g = grad[i];
      m[i] = beta1 * m[i] + (1f - beta1) * g;
      v[i] = beta2 * v[i] + (1f - beta2) * g * g;
      float denom = (float) Math.sqrt(v[i]) / sqrtBc2 + eps;
      param[i] = param[i] * decay - stepSize * m[i] / denom;
    }
  }
}
