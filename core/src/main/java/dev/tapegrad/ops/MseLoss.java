package dev.tapegrad.ops;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.kernel.LossKernels;
import dev.tapegrad.tensor.Tensor;
import java.util.Objects;

/**
 * Mean squared error, {@code torch.nn.functional.mse_loss(input, target, reduction)}.
 *
 * <pre>
 *   term_i = (x_i − y_i)²
 *   loss   = Σ_i term_i / n     mean (n elements)
 *          = Σ_i term_i         sum
 *          = term               none, x's shape
 * </pre>
 *
 * <p>Shapes: input x and target y of the same shape; loss a scalar, or x's shape for none.
 *
 * <p>Derivatives, with g_i the gradient reaching term i (dLoss / n, dLoss or dLoss_i):
 * {@code dX_i += 2 g_i (x_i − y_i)} and {@code dY_i −= 2 g_i (x_i − y_i)}; the target receives a
 * gradient when it needs one, as in PyTorch. Saved for backward: x and y.
 *
 * <p>Note: PyTorch broadcasts a target of another shape, with a warning that this is likely a
 * mistake; Tapegrad refuses it.
 */
public final class MseLoss {

  private MseLoss() {}

  /** What backward needs: both operands and the reduction. */
  private record Saved(Tensor x, Tensor y, Reduction reduction) {}

  /**
   * Returns the mean squared error.
   *
   * <pre>{@code
   * Variable loss = MseLoss.apply(tape, prediction, target, Reduction.MEAN);
   * }</pre>
   *
   * @param tape the tape to record on
   * @param input the prediction x
   * @param target the target y, x's shape
   * @param reduction mean, sum or none
   * @return a scalar, or x's shape for {@link Reduction#NONE}
   * @throws IllegalArgumentException naming both shapes if they differ
   */
  public static Variable apply(Tape tape, Variable input, Variable target, Reduction reduction) {
    Objects.requireNonNull(reduction, "reduction");
    if (!input.shape().equals(target.shape())) {
      throw new IllegalArgumentException("MseLoss: input shape " + input.shape() + " and target shape "
          + target.shape() + " differ (they must be equal)");
    }
    Tensor terms = tape.zeros(input.shape());
    LossKernels.mseForward(input.value().data(), target.value().data(), terms.data());
    int n = terms.size();
    Variable result = tape.output("MseLoss", reduction.reduce(terms, n), input, target);
    if (result.requiresGrad()) {
      Saved saved = new Saved(input.value(), target.value(), reduction);
      tape.record("MseLoss", result, dOut -> backward(dOut, saved, input.gradBuffer(), target.gradBuffer()), input,
          target);
    }
    return result;
  }

  private static void backward(Tensor dOut, Saved s, Tensor dX, Tensor dY) {
    int n = s.x().size();
    // loss = Σ term / n, Σ term or term  ⇒  g_i = dLoss / n, dLoss or dLoss_i
    float[] dTerm = s.reduction().termGradients(dOut, n, n);
    // term_i = (x_i − y_i)²  ⇒  dX_i += 2 g_i (x_i − y_i), dY_i −= 2 g_i (x_i − y_i)
    LossKernels.mseBackward(s.x().data(), s.y().data(), dTerm, dX == null ? null : dX.data(),
        dY == null ? null : dY.data());
  }
}
