package dev.tapegrad.kernel;

import static dev.tapegrad.kernel.Vectors.LANES;
import static dev.tapegrad.kernel.Vectors.SPECIES;

import jdk.incubator.vector.FloatVector;

/**
 * Vector API version of {@link SoftmaxCrossEntropyKernels}. Reached only from its family's door,
 * when {@link Vectors#ON}.
 *
 * <p>The exponential is {@link VectorMath}'s polynomial, which gives the same bits interpreted
 * or compiled.
 */
public final class SoftmaxCrossEntropySimd {

  private SoftmaxCrossEntropySimd() {}

  /**
   * Softmax and summed cross-entropy; identical to {@link SoftmaxCrossEntropyKernels#forwardReference}
   * except that, L logits at a time (the row softmax is {@link SoftmaxSimd#softmaxRow}, shared with
   * the softmax op):
   *
   * <ul>
   *   <li>the row maximum is a lane-wise maximum reduced once (exact, so the same value);
   *   <li>{@code e^(l − max)} is computed in float with the polynomial of
   *       {@link VectorMath#expNegAbs} (within 2 ulp of {@code (float) Math.exp}; subnormal results
   *       become 0) instead of in double;
   *   <li>the sum of the exponentials is accumulated in float lanes whose sum is taken once, in
   *       lane order ({@link MatVecSimd#sumLanes}), instead of in double; the loss still takes
   *       its logarithm in double.
   * </ul>
   *
   * The last {@code vocab mod L} entries of a row use {@link VectorMath#expNonPositive}, the same
   * operations in scalar code. Same arguments.
   */
  public static double forwardSimd(float[] logits, int[] targets, float[] probs, int rows, int vocab) {
    int bound = SPECIES.loopBound(vocab);
    // where the lane sum spills its lanes
    float[] scratch = new float[LANES];
    double total = 0;
    for (int r = 0; r < rows; r++) {
      int base = r * vocab;
      // max_v logits[r,v], so every exponent is ≤ 0; probs[r,:] = softmax, sumExp = Σ_v e^(logits[r,v] − max)
      float max = SoftmaxSimd.rowMax(logits, base, vocab, bound);
      float sumExp = SoftmaxSimd.softmaxRow(logits, probs, base, vocab, bound, max, scratch);
      // −log p_target = log Σ exp(l − max) + max − l_target
      total += Math.log(sumExp) + max - logits[base + targets[r]];
    }
    return total;
  }

  /**
   * {@code dLogits[r,v] += scale · (probs[r,v] − [v == target[r]])}; identical to
   * {@link SoftmaxCrossEntropyKernels#backwardReference} except that L entries are done per step.
   * The product and the sum are rounded separately, as in the reference, so the result is
   * bitwise the same. Same arguments.
   */
  public static void backwardSimd(float[] probs, int[] targets, float[] dLogits, int rows, int vocab, float scale) {
    int bound = SPECIES.loopBound(vocab);
    for (int r = 0; r < rows; r++) {
      int base = r * vocab;
      // dLogits[r,:] += scale · probs[r,:]
      for (int v = 0; v < bound; v += LANES) {
        FloatVector p = FloatVector.fromArray(SPECIES, probs, base + v);
        FloatVector.fromArray(SPECIES, dLogits, base + v).add(p.mul(scale)).intoArray(dLogits, base + v);
      }
      for (int v = bound; v < vocab; v++) {
        dLogits[base + v] += scale * probs[base + v];
      }
      // minus the one-hot of the target
      dLogits[base + targets[r]] -= scale;
    }
  }
}
