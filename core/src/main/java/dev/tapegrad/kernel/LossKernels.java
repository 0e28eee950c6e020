package dev.tapegrad.kernel;

/**
 * Scalar reference loops of the losses: cross-entropy with ignored targets and label smoothing,
 * mean squared error, and binary cross-entropy on logits. Each forward writes one term per
 * position (the unreduced loss); the op reduces them. Each backward accumulates, with
 * {@code dTerm[r]} the gradient reaching term r (1/count, 1 or the upstream gradient of each
 * term, times the upstream gradient of the reduced loss). The math is in each op's javadoc.
 */
public final class LossKernels {

  private LossKernels() {}

  /**
   * Cross-entropy terms of rows of logits. For each row r whose target t is not
   * {@code ignoreIndex}, with lse = log Σ_c e^(x_c) and ε = {@code labelSmoothing}:
   *
   * <pre>
   *   p_c     = e^(x_c − lse)                         saved in probs
   *   term[r] = (1 − ε) (lse − x_t) + (ε / C) Σ_c (lse − x_c)
   * </pre>
   *
   * An ignored row gets term 0 and its probs are left as they are.
   *
   * @param logits the logits, rows×classes
   * @param targets the class of each row, in [0, classes), or {@code ignoreIndex}
   * @param ignoreIndex the target value of a row to leave out
   * @param labelSmoothing ε, in [0, 1]
   * @param probs receives the softmax of every row that is not ignored, rows×classes
   * @param terms receives each row's term, rows
   * @param rows the number of rows
   * @param classes the number of classes C
   */
  public static void crossEntropyForward(float[] logits, int[] targets, int ignoreIndex, float labelSmoothing,
      float[] probs, float[] terms, int rows, int classes) {
    for (int r = 0; r < rows; r++) {
      if (targets[r] == ignoreIndex) {
        terms[r] = 0f;
        continue;
      }
      int base = r * classes;
      // p = softmax(x[r, :]), and lse = max + log Σ_c e^(x_c − max)
      float max = SoftmaxKernels.rowMax(logits, base, classes);
      double lse = max + Math.log(SoftmaxKernels.softmaxRow(logits, probs, base, classes, max));
      // −log p_t = lse − x_t
      double nll = lse - logits[base + targets[r]];
      // Σ_c −log p_c = Σ_c (lse − x_c), each term at least 0
      double smooth = 0;
      for (int c = 0; c < classes; c++) {
        smooth += lse - logits[base + c];
      }
      terms[r] = (float) ((1.0 - labelSmoothing) * nll + labelSmoothing * smooth / classes);
    }
  }

  /**
   * {@code dLogits[r, c] += dTerm[r] · (p_c − (1 − ε)[c == t] − ε / C)} for every row r whose
   * target is not {@code ignoreIndex}: the softmax minus the smoothed one-hot.
   *
   * @param probs the saved softmax, rows×classes
   * @param targets the class of each row, or {@code ignoreIndex}
   * @param ignoreIndex the target value of a row left out
   * @param labelSmoothing ε
   * @param dTerm the gradient reaching each row's term, rows
   * @param dLogits accumulated into, rows×classes
   * @param rows the number of rows
   * @param classes the number of classes C
   */
  public static void crossEntropyBackward(float[] probs, int[] targets, int ignoreIndex, float labelSmoothing,
      float[] dTerm, float[] dLogits, int rows, int classes) {
    float uniform = labelSmoothing / classes;
    for (int r = 0; r < rows; r++) {
      if (targets[r] == ignoreIndex) {
        continue;
      }
      int base = r * classes;
      float g = dTerm[r];
      // term = (1 − ε)(lse − x_t) + (ε/C) Σ_c (lse − x_c), ∂lse/∂x_c = p_c  ⇒  p_c − ε/C − (1 − ε)[c == t]
      for (int c = 0; c < classes; c++) {
        dLogits[base + c] += g * (probs[base + c] - uniform);
      }
      dLogits[base + targets[r]] -= g * (1f - labelSmoothing);
    }
  }

  /**
   * {@code term[i] = (x_i − y_i)²}.
   *
   * @param x the input
   * @param y the target, x's length
   * @param terms receives each term
   */
  public static void mseForward(float[] x, float[] y, float[] terms) {
    for (int i = 0; i < terms.length; i++) {
      float d = x[i] - y[i];
      terms[i] = d * d;
    }
  }

  /**
   * {@code dX_i += dTerm_i · 2 (x_i − y_i)} and {@code dY_i −= dTerm_i · 2 (x_i − y_i)}.
   *
   * @param x the saved input
   * @param y the saved target
   * @param dTerm the gradient reaching each term
   * @param dX accumulated into, or {@code null} to skip
   * @param dY accumulated into, or {@code null} to skip
   */
  public static void mseBackward(float[] x, float[] y, float[] dTerm, float[] dX, float[] dY) {
    for (int i = 0; i < dTerm.length; i++) {
      float g = dTerm[i] * 2f * (x[i] - y[i]);
      if (dX != null) {
        dX[i] += g;
      }
      if (dY != null) {
        dY[i] -= g;
      }
    }
  }

  /**
   * {@code term[i] = (1 − y_i) x_i + L_i · softplus(−x_i)} with {@code L_i = 1 + (w_i − 1) y_i},
   * and {@code softplus(−x) = max(−x, 0) + log(1 + e^(−|x|))}, which never overflows. Without a
   * positive weight (w = 1) this is {@code max(x, 0) − x y + log(1 + e^(−|x|))}.
   *
   * @param x the logits
   * @param y the targets, x's length
   * @param posWeight w, or {@code null} for 1 everywhere
   * @param posWeightIndex for each i, the index of w_i in {@code posWeight} (ignored without it)
   * @param terms receives each term
   */
  public static void bceWithLogitsForward(float[] x, float[] y, float[] posWeight, int[] posWeightIndex,
      float[] terms) {
    for (int i = 0; i < terms.length; i++) {
      double xi = x[i];
      double softplusNeg = Math.max(-xi, 0.0) + Math.log1p(Math.exp(-Math.abs(xi)));
      double l = posWeight == null ? 1.0 : 1.0 + (posWeight[posWeightIndex[i]] - 1.0) * y[i];
      terms[i] = (float) ((1.0 - y[i]) * xi + l * softplusNeg);
    }
  }

  /**
   * {@code dX_i += dTerm_i ((1 − y_i) − L_i σ(−x_i))} and
   * {@code dY_i += dTerm_i (−x_i + (w_i − 1) softplus(−x_i))}; without a positive weight
   * {@code dX_i += dTerm_i (σ(x_i) − y_i)} and {@code dY_i −= dTerm_i x_i}.
   *
   * @param x the saved logits
   * @param y the saved targets
   * @param posWeight w, or {@code null}
   * @param posWeightIndex the index of each w_i in {@code posWeight}
   * @param dTerm the gradient reaching each term
   * @param dX accumulated into, or {@code null} to skip
   * @param dY accumulated into, or {@code null} to skip
   */
  public static void bceWithLogitsBackward(float[] x, float[] y, float[] posWeight, int[] posWeightIndex,
      float[] dTerm, float[] dX, float[] dY) {
    for (int i = 0; i < dTerm.length; i++) {
      double xi = x[i];
      double w = posWeight == null ? 1.0 : posWeight[posWeightIndex[i]];
      double l = 1.0 + (w - 1.0) * y[i];
      // σ(−x) = 1 / (1 + e^x), computed from e^(−|x|) so that it never overflows
      double e = Math.exp(-Math.abs(xi));
      double sigmoidNeg = xi >= 0 ? e / (1.0 + e) : 1.0 / (1.0 + e);
      if (dX != null) {
        dX[i] += (float) (dTerm[i] * ((1.0 - y[i]) - l * sigmoidNeg));
      }
      if (dY != null) {
        double softplusNeg = Math.max(-xi, 0.0) + Math.log1p(e);
        dY[i] += (float) (dTerm[i] * (-xi + (w - 1.0) * softplusNeg));
      }
    }
  }
}
