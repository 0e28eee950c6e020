package dev.tapegrad.optim;

import dev.tapegrad.autograd.Variable;
import dev.tapegrad.kernel.ElementwiseKernels;
import dev.tapegrad.tensor.Tensor;
import java.util.List;

/**
 * Gradient clipping by global norm, as {@code torch.nn.utils.clip_grad_norm_}.
 *
 * <pre>
 *   total = sqrt(Σ_p Σ_i g_{p,i}²)
 *   if total > maxNorm:  g ← g · maxNorm / (total + 1e-6)   for every parameter
 * </pre>
 *
 * <p>All gradients are scaled by one factor, so the update keeps its direction; only its length
 * is bounded. This is the standard remedy for exploding gradients in back-propagation through
 * time.
 *
 * <pre>{@code
 * tape.backward(loss);
 * double norm = GradClip.clipGlobalNorm(model.parameters(), 5.0);   // the norm before clipping
 * adam.step();
 * }</pre>
 */
public final class GradClip {

  /** PyTorch's guard against dividing by a zero norm. */
  private static final double NORM_EPS = 1e-6;

  private GradClip() {}

  /**
   * Scales all gradients down so that their global L2 norm is at most {@code maxNorm}.
   *
   * @param params the parameters whose gradients to clip (those without a gradient are skipped)
   * @param maxNorm the largest allowed norm, greater than 0
   * @return the global norm before clipping (NaN or infinite if a gradient is)
   */
  public static double clipGlobalNorm(List<Variable> params, double maxNorm) {
    if (!(maxNorm > 0)) {
      throw new IllegalArgumentException("GradClip: maxNorm must be greater than 0, got " + maxNorm);
    }
    double total = globalNorm(params);
    if (total > maxNorm) {
      float scale = (float) (maxNorm / (total + NORM_EPS));
      for (Variable p : params) {
        Tensor g = p.grad();
        if (g != null) {
          ElementwiseKernels.scale(scale, g.data());
        }
      }
    }
    return total;
  }

  /**
   * Returns the global L2 norm of all gradients, {@code sqrt(Σ_p Σ_i g_{p,i}²)}.
   *
   * @param params the parameters (those without a gradient count as zero)
   * @return the norm
   */
  public static double globalNorm(List<Variable> params) {
    double sumSquares = 0;
    for (Variable p : params) {
      Tensor g = p.grad();
      if (g != null) {
        sumSquares += ElementwiseKernels.sumOfSquares(g.data());
      }
    }
    return Math.sqrt(sumSquares);
  }
}
