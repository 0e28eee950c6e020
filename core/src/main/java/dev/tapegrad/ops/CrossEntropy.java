package dev.tapegrad.ops;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.kernel.LossKernels;
import dev.tapegrad.tensor.Shape;
import dev.tapegrad.tensor.Tensor;
import java.util.Arrays;
import java.util.Objects;

/**
 * Cross-entropy of class targets under the softmax of logits over their last dimension, with
 * ignored targets, label smoothing and a choice of reduction
 * ({@code torch.nn.functional.cross_entropy(logits, targets, ignore_index, reduction,
 * label_smoothing)}, PyTorch 1.13).
 *
 * <pre>
 *   lse_r   = log Σ_c e^(x[r, c])                          the log-sum-exp of row r
 *   term_r  = (1 − ε) (lse_r − x[r, t_r]) + (ε / C) Σ_c (lse_r − x[r, c])     if t_r ≠ ignoreIndex
 *           = 0                                                                 if t_r = ignoreIndex
 *   loss    = Σ_r term_r / K       mean, K = the number of rows not ignored
 *           = Σ_r term_r           sum
 *           = term                 none, one term per row
 * </pre>
 *
 * <p>That is PyTorch's {@code (1 − ε) · nll_loss + (ε / C) · smooth_loss} with both parts
 * reduced the same way over the rows not ignored: the target distribution is (1 − ε) one-hot plus
 * ε spread evenly over all C classes (the target class included).
 *
 * <p>Shapes: logits (…, C), any number of leading dimensions (none for a single row (C));
 * targets one int per row, R = size / C of them, in row-major order of the leading dimensions, each
 * in [0, C) or equal to {@code ignoreIndex}; loss a scalar (mean, sum) or the leading dimensions
 * (none).
 *
 * <p>Derivative: with p = softmax(x[r, :]) and g_r the gradient reaching term r,
 * {@code dLogits[r, c] += g_r (p_c − (1 − ε)[c == t_r] − ε / C)}, softmax minus the smoothed
 * one-hot; nothing for an ignored row. Saved for backward: the softmax p (R×C) and the targets.
 *
 * <p>The plain case (mean, no smoothing, no target ignored) runs {@link SoftmaxCrossEntropy}
 * itself, so its value and gradient are bitwise those of that op.
 *
 * <p>Note: PyTorch's N-D form puts the classes at dimension 1, logits (N, C, d1, …) with targets
 * (N, d1, …). Tapegrad's convention puts them last, logits (…, C) with targets (…), the layout of a
 * (B, T, C) model's output: what PyTorch gives for {@code cross_entropy(logits.view(-1, C),
 * targets.view(-1))}. For 2-D (N, C) logits the two agree; to port a PyTorch call on (N, C, d…)
 * logits, move the class dimension last first.
 *
 * <p>Note: when every target is ignored, the mean is 0 / 0 = NaN, as PyTorch gives, and the
 * gradient is zero.
 */
public final class CrossEntropy {

  /** PyTorch's default {@code ignore_index}: a target of −100 is left out. */
  public static final int DEFAULT_IGNORE_INDEX = -100;

  private CrossEntropy() {}

  /** What backward needs: the softmax of each row, the targets, the options and the sizes. */
  private record Saved(Tensor probs, int[] targets, int ignoreIndex, float labelSmoothing, Reduction reduction,
      int rows, int classes, int kept) {}

  /**
   * Returns the mean cross-entropy with PyTorch's defaults: targets of −100 ignored, no smoothing.
   *
   * <pre>{@code
   * // logits (B, T, V), targets B·T ids in row-major order
   * Variable loss = CrossEntropy.apply(tape, logits, targets);
   * }</pre>
   *
   * @param tape the tape to record on
   * @param logits unnormalised log-probabilities, (…, C)
   * @param targets the class of each row, or −100 to leave it out
   * @return the mean loss over the rows not ignored, a scalar, in nats
   * @throws IllegalArgumentException if the number of targets is not the number of rows, or a
   *     target is out of range
   */
  public static Variable apply(Tape tape, Variable logits, int[] targets) {
    return apply(tape, logits, targets, DEFAULT_IGNORE_INDEX, 0f, Reduction.MEAN);
  }

  /**
   * Returns the cross-entropy with every option of PyTorch 1.13's class-target form.
   *
   * <pre>{@code
   * Variable loss = CrossEntropy.apply(tape, logits, targets, PAD, 0.1f, Reduction.MEAN);
   * }</pre>
   *
   * @param tape the tape to record on
   * @param logits unnormalised log-probabilities, (…, C)
   * @param targets the class of each row, in [0, C), or {@code ignoreIndex}
   * @param ignoreIndex the target value of a row to leave out (PyTorch's default is −100)
   * @param labelSmoothing ε, the weight of the uniform distribution in the target, in [0, 1]
   * @param reduction mean over the rows not ignored, sum, or none (one term per row)
   * @return the loss: a scalar, or the leading dimensions of the logits for {@link Reduction#NONE}
   * @throws IllegalArgumentException if logits is a scalar, the number of targets is not the number
   *     of rows, a target is out of range, or ε is outside [0, 1]
   */
  public static Variable apply(Tape tape, Variable logits, int[] targets, int ignoreIndex, float labelSmoothing,
      Reduction reduction) {
    Objects.requireNonNull(reduction, "reduction");
    Shape shape = logits.shape();
    if (shape.rank() == 0) {
      throw new IllegalArgumentException("CrossEntropy: logits must have at least 1 dimension (…, C), got shape "
          + shape);
    }
    if (!(labelSmoothing >= 0f && labelSmoothing <= 1f)) {
      throw new IllegalArgumentException("CrossEntropy: labelSmoothing must be in [0, 1], got " + labelSmoothing);
    }
    int classes = shape.dim(-1);
    int rows = Linear.leadingSize(shape);
    if (targets.length != rows) {
      throw new IllegalArgumentException("CrossEntropy: logits shape " + shape + " has " + rows
          + " rows of classes, so it needs " + rows + " targets, got " + targets.length);
    }
    int kept = 0;
    for (int r = 0; r < rows; r++) {
      if (targets[r] == ignoreIndex) {
        continue;
      }
      if (targets[r] < 0 || targets[r] >= classes) {
        throw new IllegalArgumentException("CrossEntropy: target " + targets[r] + " at position " + r
            + " is out of range for " + classes + " classes (and is not the ignore index " + ignoreIndex + ")");
      }
      kept++;
    }
    if (reduction == Reduction.MEAN && labelSmoothing == 0f && kept == rows) {
      // the plain case: SoftmaxCrossEntropy, the fused fast path, on the logits as (R, C)
      Variable matrix = shape.rank() == 2 ? logits : Reshape.apply(tape, logits, rows, classes);
      return SoftmaxCrossEntropy.apply(tape, matrix, targets);
    }
    int[] savedTargets = targets.clone();
    Tensor probs = tape.zeros(rows, classes);
    // one term per row: the loss of reduction none, shaped as the leading dimensions
    Tensor terms = tape.zeros(Shape.of(Arrays.copyOf(shape.dims(), shape.rank() - 1)));
    LossKernels.crossEntropyForward(logits.value().data(), savedTargets, ignoreIndex, labelSmoothing, probs.data(),
        terms.data(), rows, classes);
    Variable result = tape.output("CrossEntropy", reduction.reduce(terms, kept), logits);
    if (result.requiresGrad()) {
      Saved saved = new Saved(probs, savedTargets, ignoreIndex, labelSmoothing, reduction, rows, classes, kept);
      tape.record("CrossEntropy", result, dOut -> backward(dOut, saved, logits.gradBuffer()), logits);
    }
    return result;
  }

  private static void backward(Tensor dOut, Saved s, Tensor dLogits) {
    // loss = Σ_r term_r / K (mean), Σ_r term_r (sum) or term (none)  ⇒  g_r = dLoss / K, dLoss or dLoss_r
    float[] dTerm = s.reduction().termGradients(dOut, s.rows(), s.kept());
    // term_r = (1 − ε)(lse_r − x[r, t_r]) + (ε/C) Σ_c (lse_r − x[r, c])
    //   ⇒  dLogits[r, c] += g_r (p_c − (1 − ε)[c == t_r] − ε/C)
    LossKernels.crossEntropyBackward(s.probs().data(), s.targets(), s.ignoreIndex(), s.labelSmoothing(), dTerm,
        dLogits.data(), s.rows(), s.classes());
  }
}
