package dev.tapegrad.ops;

import dev.tapegrad.tensor.Tensor;
import java.util.Arrays;

/**
 * How a loss reduces its per-element terms, PyTorch's {@code reduction} argument.
 *
 * <pre>{@code
 * Variable loss = MseLoss.apply(tape, prediction, target, Reduction.SUM);
 * }</pre>
 */
public enum Reduction {
  /** The mean of the terms, a scalar ({@code reduction='mean'}, PyTorch's default). */
  MEAN,
  /** The sum of the terms, a scalar ({@code reduction='sum'}). */
  SUM,
  /** Every term, unreduced ({@code reduction='none'}). */
  NONE;

  /**
   * Reduces a loss's terms: their mean (sum over {@code divisor}), their sum, or the terms.
   *
   * @param terms the per-position terms, in the shape of the unreduced loss
   * @param divisor what the mean divides by (the number of terms, or of the terms not ignored)
   * @return a scalar, or {@code terms} itself for {@link #NONE}
   */
  Tensor reduce(Tensor terms, int divisor) {
    if (this == NONE) {
      return terms;
    }
    double sum = 0;
    for (float t : terms.data()) {
      sum += t;
    }
    // 0/0 is NaN: the mean of no terms, as PyTorch gives
    return Tensor.scalar((float) (this == MEAN ? sum / divisor : sum));
  }

  /**
   * The gradient reaching each term from the gradient of the reduced loss: dOut / divisor for a
   * mean, dOut for a sum, and dOut's own elements for {@link #NONE} (read only, never written).
   *
   * @param dOut the gradient of the reduced loss
   * @param count the number of terms
   * @param divisor what the mean divided by
   * @return one gradient per term
   */
  float[] termGradients(Tensor dOut, int count, int divisor) {
    if (this == NONE) {
      return dOut.data();
    }
    float[] dTerm = new float[count];
    // a mean of no terms passes no gradient (every term was left out)
    Arrays.fill(dTerm, this == SUM ? dOut.item() : divisor == 0 ? 0f : dOut.item() / divisor);
    return dTerm;
  }
}
