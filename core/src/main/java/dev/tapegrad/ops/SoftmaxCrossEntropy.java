package dev.tapegrad.ops;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.kernel.SoftmaxCrossEntropyKernels;
import dev.tapegrad.tensor.Tensor;

/**
 * Softmax followed by cross-entropy, fused, averaged over positions
 * ({@code torch.nn.functional.cross_entropy} with the default mean reduction).
 *
 * <pre>
 *   p[n, :] = softmax(logits[n, :])
 *   loss    = (1/N) Σ_n −log p[n, target[n]]
 *           = (1/N) Σ_n ( logSumExp(logits[n, :]) − logits[n, target[n]] )
 * </pre>
 *
 * <p>Shapes: logits (N, V); targets (N) with values in [0, V); loss a scalar.
 *
 * <p>Derivative: {@code dLogits[n, v] = dLoss · (p[n, v] − [v == target[n]]) / N}: softmax minus
 * one-hot. Saved for backward: the probabilities p (N×V), so backward needs no exponentials.
 *
 * <p>Fusing the two is what keeps this stable: the log-sum-exp subtracts each row's maximum, so
 * logits of magnitude 1e4 give a finite loss, and the gradient never divides by a probability.
 */
public final class SoftmaxCrossEntropy {

  private SoftmaxCrossEntropy() {}

  /** What backward needs: the softmax, the targets and the sizes. */
  private record Saved(Tensor probs, int[] targets, int rows, int vocab) {}

  /**
   * Returns the mean cross-entropy of {@code targets} under {@code softmax(logits)}.
   *
   * @param tape the tape to record on
   * @param logits unnormalised log-probabilities, N×V
   * @param targets the class of each row, in [0, V)
   * @return the mean loss, a scalar, in nats
   * @throws IllegalArgumentException if the sizes disagree or a target is out of range
   */
  public static Variable apply(Tape tape, Variable logits, int[] targets) {
    Checks.requireRank("SoftmaxCrossEntropy", "logits", logits, 2);
    int rows = logits.shape().dim(0);
    int vocab = logits.shape().dim(1);
    if (targets.length != rows) {
      throw new IllegalArgumentException("SoftmaxCrossEntropy: logits shape " + logits.shape() + " needs " + rows
          + " targets, got " + targets.length);
    }
    for (int n = 0; n < rows; n++) {
      if (targets[n] < 0 || targets[n] >= vocab) {
        throw new IllegalArgumentException("SoftmaxCrossEntropy: target " + targets[n] + " at position " + n
            + " is out of range for " + vocab + " classes");
      }
    }
    int[] savedTargets = targets.clone();
    Tensor probs = tape.zeros(rows, vocab);
    double total = SoftmaxCrossEntropyKernels.forward(logits.value().data(), savedTargets, probs.data(), rows, vocab);
    Tensor loss = Tensor.scalar((float) (total / rows));
    Variable result = tape.output("SoftmaxCrossEntropy", loss, logits);
    if (result.requiresGrad()) {
      Saved saved = new Saved(probs, savedTargets, rows, vocab);
      tape.record("SoftmaxCrossEntropy", result, dOut -> backward(dOut, saved, logits.gradBuffer()), logits);
    }
    return result;
  }

  private static void backward(Tensor dOut, Saved s, Tensor dLogits) {
    // loss = (1/N) Σ_n (logSumExp(logits[n]) − logits[n, t_n])
    //   ⇒  dLogits[n, v] += dLoss · (p[n, v] − [v == t_n]) / N
    float scale = dOut.item() / s.rows();
    SoftmaxCrossEntropyKernels.backward(s.probs().data(), s.targets(), dLogits.data(), s.rows(), s.vocab(), scale);
  }
}
