package dev.tapegrad.kernel;

/**
 * Softmax cross-entropy over rows of logits, forward and backward: each a door that hands over to
 * {@link SoftmaxCrossEntropySimd} when {@link Vectors#ON}, with the scalar reference right below.
 */
public final class SoftmaxCrossEntropyKernels {

  private SoftmaxCrossEntropyKernels() {}

  /**
   * For each row r: {@code probs[r,:] = softmax(logits[r,:])} and the loss
   * {@code −log probs[r, target[r]] = logSumExp(logits[r,:]) − logits[r, target[r]]}.
   * The running maximum is subtracted before exponentiating, so logits of any magnitude give
   * finite results.
   *
   * @param logits the logits, rows×vocab
   * @param targets the target class of each row, in [0, vocab)
   * @param probs receives the softmax, rows×vocab
   * @param rows the number of rows
   * @param vocab the number of classes
   * @return the sum over rows of the loss, in double
   */
  public static double forward(float[] logits, int[] targets, float[] probs, int rows, int vocab) {
    if (Vectors.ON) {
      return SoftmaxCrossEntropySimd.forwardSimd(logits, targets, probs, rows, vocab);
    }
    return forwardReference(logits, targets, probs, rows, vocab);
  }

  /** The scalar loop of {@link #forward}; same arguments. */
  public static double forwardReference(float[] logits, int[] targets, float[] probs, int rows, int vocab) {
    double total = 0;
    for (int r = 0; r < rows; r++) {
      int base = r * vocab;
      // max_v logits[r,v], so every exponent is ≤ 0; probs[r,:] = softmax, sumExp = Σ_v exp(logits[r,v] − max)
      float max = SoftmaxKernels.rowMax(logits, base, vocab);
      double sumExp = SoftmaxKernels.softmaxRow(logits, probs, base, vocab, max);
      // −log p_target = log Σ exp(l − max) + max − l_target
      total += Math.log(sumExp) + max - logits[base + targets[r]];
    }
    return total;
  }

  /**
   * {@code dLogits[r,v] += scale · (probs[r,v] − [v == target[r]])}: the gradient of the
   * cross-entropy with respect to the logits, softmax minus one-hot; bitwise the same on both paths.
   *
   * @param probs the saved softmax, rows×vocab
   * @param targets the target classes
   * @param dLogits accumulated into, rows×vocab
   * @param rows the number of rows
   * @param vocab the number of classes
   * @param scale dLoss for each row's term (1/rows for a mean, times the upstream gradient)
   */
  public static void backward(float[] probs, int[] targets, float[] dLogits, int rows, int vocab, float scale) {
    if (Vectors.ON) {
      SoftmaxCrossEntropySimd.backwardSimd(probs, targets, dLogits, rows, vocab, scale);
      return;
    }
    backwardReference(probs, targets, dLogits, rows, vocab, scale);
  }

  /** The scalar loop of {@link #backward}; same arguments. */
  public static void backwardReference(float[] probs, int[] targets, float[] dLogits, int rows, int vocab,
      float scale) {
    for (int r = 0; r < rows; r++) {
      int base = r * vocab;
      for (int v = 0; v < vocab; v++) {
        dLogits[base + v] += scale * probs[base + v];
      }
      dLogits[base + targets[r]] -= scale;
    }
  }
}
