package dev.tapegrad.kernel;

/**
 * The update of stochastic gradient descent with momentum: scalar only (no SIMD twin), so no
 * {@code Reference} suffix.
 */
public final class SgdKernels {

  private SgdKernels() {}

  /**
   * One step of SGD with momentum, as {@code torch.optim.SGD} (no dampening, not Nesterov):
   * <pre>
   *   g ← g + weightDecay · p        (L2 weight decay, added to the gradient)
   *   v ← momentum · v + g           (the velocity; with v starting at 0 the first v is g)
   *   p ← p − lr · v
   * </pre>
   *
   * @param param the parameter, updated in place
   * @param grad its gradient (not modified)
   * @param velocity the velocity, updated in place
   * @param lr the learning rate
   * @param momentum the velocity's decay, in [0, 1); 0 for plain SGD
   * @param weightDecay the L2 weight decay (0 for none)
   */
  public static void step(float[] param, float[] grad, float[] velocity, float lr, float momentum,
      float weightDecay) {
    for (int i = 0; i < param.length; i++) {
      float g = grad[i] + weightDecay * param[i];
      velocity[i] = momentum * velocity[i] + g;
      param[i] -= lr * velocity[i];
    }
  }
}
