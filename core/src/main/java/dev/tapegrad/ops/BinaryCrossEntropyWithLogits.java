package dev.tapegrad.ops;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.kernel.LossKernels;
import dev.tapegrad.tensor.Broadcast;
import dev.tapegrad.tensor.Tensor;
import java.util.Objects;

/**
 * Binary cross-entropy of targets under the sigmoid of logits, in the stable form,
 * {@code torch.nn.functional.binary_cross_entropy_with_logits(input, target, pos_weight=…,
 * reduction=…)}.
 *
 * <pre>
 *   term_i = −w_i y_i log σ(x_i) − (1 − y_i) log(1 − σ(x_i))
 *          = (1 − y_i) x_i + L_i softplus(−x_i)            L_i = 1 + (w_i − 1) y_i
 *   softplus(−x) = log(1 + e^(−x)) = max(−x, 0) + log(1 + e^(−|x|))
 *   without w:  term_i = max(x_i, 0) − x_i y_i + log(1 + e^(−|x_i|))
 *   loss = mean, sum, or every term
 * </pre>
 *
 * <p>No exponential of a positive number is ever taken, so logits of any magnitude give a finite
 * loss (fusing the sigmoid into the loss is the point of this op, as it is of PyTorch's).
 *
 * <p>Shapes: input x and target y of the same shape (y usually in [0, 1]); posWeight w, the
 * weight of the positive class, of a shape that broadcasts to x's (usually (C), one per class in
 * the last dimension) or absent; loss a scalar, or x's shape for none.
 *
 * <p>Derivatives, with g_i the gradient reaching term i:
 * {@code dX_i += g_i ((1 − y_i) − L_i σ(−x_i))} (σ(x_i) − y_i without w) and
 * {@code dY_i += g_i (−x_i + (w_i − 1) softplus(−x_i))} (−x_i without w). Saved for backward: x,
 * y and w.
 *
 * <p>Note: posWeight is a constant tensor, not a variable, so it receives no gradient; PyTorch's
 * per-element {@code weight} argument is not offered (multiply the unreduced terms instead).
 */
public final class BinaryCrossEntropyWithLogits {

  private BinaryCrossEntropyWithLogits() {}

  /** What backward needs: logits, targets, the positive weight with its index map, and the reduction. */
  private record Saved(Tensor x, Tensor y, float[] posWeight, int[] posWeightIndex, Reduction reduction) {}

  /**
   * Returns the binary cross-entropy on logits, without a positive weight.
   *
   * @param tape the tape to record on
   * @param input the logits x
   * @param target the targets y, x's shape
   * @param reduction mean, sum or none
   * @return a scalar, or x's shape for {@link Reduction#NONE}
   * @throws IllegalArgumentException naming both shapes if they differ
   */
  public static Variable apply(Tape tape, Variable input, Variable target, Reduction reduction) {
    return apply(tape, input, target, null, reduction);
  }

  /**
   * Returns the binary cross-entropy on logits, the positive terms weighted by posWeight.
   *
   * <pre>{@code
   * // three labels per example, positives of label 2 weighted 4×
   * Variable loss = BinaryCrossEntropyWithLogits.apply(tape, logits, labels,
   *     Tensor.of(new float[] {1, 1, 4}, 3), Reduction.MEAN);
   * }</pre>
   *
   * @param tape the tape to record on
   * @param input the logits x
   * @param target the targets y, x's shape
   * @param posWeight w, broadcastable to x's shape, or {@code null} for none
   * @param reduction mean, sum or none
   * @return a scalar, or x's shape for {@link Reduction#NONE}
   * @throws IllegalArgumentException naming the shapes if x and y differ or w does not broadcast to x
   */
  public static Variable apply(Tape tape, Variable input, Variable target, Tensor posWeight, Reduction reduction) {
    Objects.requireNonNull(reduction, "reduction");
    if (!input.shape().equals(target.shape())) {
      throw new IllegalArgumentException("BinaryCrossEntropyWithLogits: input shape " + input.shape()
          + " and target shape " + target.shape() + " differ (they must be equal)");
    }
    float[] w = null;
    int[] wIndex = null;
    if (posWeight != null) {
      Broadcast bc = Broadcast.of("BinaryCrossEntropyWithLogits", input.shape(), posWeight.shape());
      if (!bc.shape().equals(input.shape())) {
        throw new IllegalArgumentException("BinaryCrossEntropyWithLogits: posWeight shape " + posWeight.shape()
            + " does not broadcast to input shape " + input.shape());
      }
      // w_i = posWeight[b(i)]; the weight is copied, so later changes to it cannot reach backward
      w = posWeight.data().clone();
      wIndex = new int[bc.size()];
      for (int i = 0; i < wIndex.length; i++) {
        wIndex[i] = bc.b(i);
      }
    }
    Tensor terms = tape.zeros(input.shape());
    LossKernels.bceWithLogitsForward(input.value().data(), target.value().data(), w, wIndex, terms.data());
    Variable result = tape.output("BinaryCrossEntropyWithLogits", reduction.reduce(terms, terms.size()), input,
        target);
    if (result.requiresGrad()) {
      Saved saved = new Saved(input.value(), target.value(), w, wIndex, reduction);
      tape.record("BinaryCrossEntropyWithLogits", result,
          dOut -> backward(dOut, saved, input.gradBuffer(), target.gradBuffer()), input, target);
    }
    return result;
  }

  private static void backward(Tensor dOut, Saved s, Tensor dX, Tensor dY) {
    int n = s.x().size();
    // loss = Σ term / n, Σ term or term  ⇒  g_i = dLoss / n, dLoss or dLoss_i
    float[] dTerm = s.reduction().termGradients(dOut, n, n);
    // term_i = (1 − y_i) x_i + (1 + (w_i − 1) y_i) softplus(−x_i)
    //   ⇒  dX_i += g_i ((1 − y_i) − L_i σ(−x_i)),  dY_i += g_i (−x_i + (w_i − 1) softplus(−x_i))
    LossKernels.bceWithLogitsBackward(s.x().data(), s.y().data(), s.posWeight(), s.posWeightIndex(), dTerm,
        dX == null ? null : dX.data(), dY == null ? null : dY.data());
  }
}
