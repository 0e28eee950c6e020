package dev.tapegrad.kernel;

import static dev.tapegrad.kernel.Vectors.LANES;
import static dev.tapegrad.kernel.Vectors.SPECIES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;

/**
 * Vector API version of {@link AdamKernels}. Reached only from its family's door, when {@link Vectors#ON}.
 */
public final class AdamSimd {

  private AdamSimd() {}

  /**
   * One Adam step; identical to {@link AdamKernels#stepReference} except that L parameters are
   * updated per iteration (with the reference loop for the last {@code length mod L}). Every
   * lane performs the reference's operations in the reference's order, with no FMA
   * contraction, and the lane square root is correctly rounded like {@code (float) Math.sqrt},
   * so the result is bitwise the same. Same arguments.
   */
  public static void stepSimd(float[] param, float[] grad, float[] m, float[] v, float lr, float beta1, float beta2,
      float eps, float weightDecay, long step) {
    // the scalars exactly as the reference computes them
    double biasCorrection1 = 1.0 - Math.pow(beta1, step);
    double biasCorrection2 = 1.0 - Math.pow(beta2, step);
    float stepSize = (float) (lr / biasCorrection1);
    float sqrtBc2 = (float) Math.sqrt(biasCorrection2);
    float decay = 1f - lr * weightDecay;
    float oneMinusBeta1 = 1f - beta1;
    float oneMinusBeta2 = 1f - beta2;
    int bound = SPECIES.loopBound(param.length);
    int i = 0;
    for (; i < bound; i += LANES) {
      FloatVector g = FloatVector.fromArray(SPECIES, grad, i);
      // m ← β1 m + (1 − β1) g
      FloatVector mi = FloatVector.fromArray(SPECIES, m, i).mul(beta1).add(g.mul(oneMinusBeta1));
      // v ← β2 v + ((1 − β2) g) g
      FloatVector vi = FloatVector.fromArray(SPECIES, v, i).mul(beta2).add(g.mul(oneMinusBeta2).mul(g));
      mi.intoArray(m, i);
      vi.intoArray(v, i);
      // denom = sqrt(v) / sqrt(bc2) + eps
      FloatVector denom = vi.lanewise(VectorOperators.SQRT).div(sqrtBc2).add(eps);
      // p ← p · decay − (stepSize · m) / denom
      FloatVector p = FloatVector.fromArray(SPECIES, param, i);
      p.mul(decay).sub(mi.mul(stepSize).div(denom)).intoArray(param, i);
    }
    for (; i < param.length; i++) {
      float g = grad[i];
      m[i] = beta1 * m[i] + oneMinusBeta1 * g;
      v[i] = beta2 * v[i] + oneMinusBeta2 * g * g;
      float denom = (float) Math.sqrt(v[i]) / sqrtBc2 + eps;
      param[i] = param[i] * decay - stepSize * m[i] / denom;
    }
  }
}
