package dev.tapegrad.kernel;

/**
 * Scalar reference loops for the ops that compare or choose between broadcast operands: the
 * comparisons (masks of 1 and 0), elementwise maximum and minimum, masked fill, and where; with
 * the backwards of those that have one (which accumulate).
 *
 * <p>The two-operand loops walk the output as {@code dev.tapegrad.tensor.Broadcast} lays it out
 * (see {@link BroadcastKernels}): run r covers the {@code inner} output elements from
 * {@code r·inner}, reading each operand from its run offset with its step (1, or 0 where it is
 * broadcast). {@link #whereForward} has three operands and takes one index per output element
 * for each instead.
 *
 * <p>A mask holds 1 for true and 0 for false; reading one, any value other than 0 (NaN too) is
 * true.
 */
public final class CompareKernels {

  private CompareKernels() {}

  /** The six comparisons, in PyTorch's names. */
  public enum Relation {
    /** {@code a == b}. */
    EQ,
    /** {@code a != b}. */
    NE,
    /** {@code a < b}. */
    LT,
    /** {@code a <= b}. */
    LE,
    /** {@code a > b}. */
    GT,
    /** {@code a >= b}. */
    GE;

    /**
     * Compares two numbers as IEEE 754 does: every relation with a NaN is false except NE.
     *
     * @param a the left operand
     * @param b the right operand
     * @return whether {@code a} relates to {@code b}
     */
    public boolean test(float a, float b) {
      switch (this) {
        case EQ:
          return a == b;
        case NE:
          return a != b;
        case LT:
          return a < b;
        case LE:
          return a <= b;
        case GT:
          return a > b;
        default:
          return a >= b;
      }
    }
  }

  /**
   * {@code out = [a rel b]}, 1 where the relation holds and 0 elsewhere, broadcast.
   *
   * @param a a's values
   * @param aOffsets a's index at the start of each run
   * @param aStep 1, or 0 where a is broadcast within a run
   * @param relation the comparison
   * @param b b's values
   * @param bOffsets b's index at the start of each run
   * @param bStep 1, or 0 where b is broadcast within a run
   * @param out receives the mask, runs × inner
   * @param inner elements per run
   */
  public static void compare(float[] a, int[] aOffsets, int aStep, Relation relation, float[] b, int[] bOffsets,
      int bStep, float[] out, int inner) {
    for (int r = 0; r < aOffsets.length; r++) {
      for (int j = 0; j < inner; j++) {
        out[r * inner + j] = relation.test(a[aOffsets[r] + j * aStep], b[bOffsets[r] + j * bStep]) ? 1f : 0f;
      }
    }
  }

  /**
   * {@code out = max(a, b)} (or min), broadcast; a NaN in either operand gives NaN, as
   * {@code torch.maximum}.
   *
   * @param a a's values
   * @param aOffsets a's index at the start of each run
   * @param aStep 1, or 0 where a is broadcast within a run
   * @param b b's values
   * @param bOffsets b's index at the start of each run
   * @param bStep 1, or 0 where b is broadcast within a run
   * @param out receives the result, runs × inner
   * @param inner elements per run
   * @param max true for the maximum, false for the minimum
   */
  public static void extremeForward(float[] a, int[] aOffsets, int aStep, float[] b, int[] bOffsets, int bStep,
      float[] out, int inner, boolean max) {
    for (int r = 0; r < aOffsets.length; r++) {
      for (int j = 0; j < inner; j++) {
        float av = a[aOffsets[r] + j * aStep];
        float bv = b[bOffsets[r] + j * bStep];
        out[r * inner + j] = max ? Math.max(av, bv) : Math.min(av, bv);
      }
    }
  }

  /**
   * The gradients of {@link #extremeForward}, PyTorch 1.13's rule: the output's gradient goes to
   * the operand that was chosen, and where the two are equal each receives half of it.
   * <pre>
   *   maximum:  dA += (a == b ? g/2 : g) · [a ≥ b]      dB += (a == b ? g/2 : g) · [b ≥ a]
   *   minimum:  dA += (a == b ? g/2 : g) · [a ≤ b]      dB += (a == b ? g/2 : g) · [b ≤ a]
   * </pre>
   * (written as PyTorch writes it, "not the other one's side", so a NaN pair passes g to both).
   *
   * @param dOut the output's gradient, runs × inner
   * @param a a's values
   * @param aOffsets a's index at the start of each run
   * @param aStep 1, or 0 where a is broadcast within a run
   * @param b b's values
   * @param bOffsets b's index at the start of each run
   * @param bStep 1, or 0 where b is broadcast within a run
   * @param dA a's gradient, accumulated into, or null
   * @param dB b's gradient, accumulated into, or null
   * @param inner elements per run
   * @param max true for the maximum, false for the minimum
   */
  public static void extremeBackward(float[] dOut, float[] a, int[] aOffsets, int aStep, float[] b, int[] bOffsets,
      int bStep, float[] dA, float[] dB, int inner, boolean max) {
    for (int r = 0; r < aOffsets.length; r++) {
      for (int j = 0; j < inner; j++) {
        int ai = aOffsets[r] + j * aStep;
        int bi = bOffsets[r] + j * bStep;
        float av = a[ai];
        float bv = b[bi];
        float g = dOut[r * inner + j];
        // a tie splits the gradient in halves
        float share = av == bv ? 0.5f * g : g;
        if (dA != null && !(max ? av < bv : av > bv)) {
          dA[ai] += share;
        }
        if (dB != null && !(max ? av > bv : av < bv)) {
          dB[bi] += share;
        }
      }
    }
  }

  /**
   * {@code out = mask ≠ 0 ? value : x}, broadcast (x is operand a, the mask operand b).
   *
   * @param x x's values
   * @param xOffsets x's index at the start of each run
   * @param xStep 1, or 0 where x is broadcast within a run
   * @param mask the mask's values
   * @param maskOffsets the mask's index at the start of each run
   * @param maskStep 1, or 0 where the mask is broadcast within a run
   * @param value the fill value
   * @param out receives the result, runs × inner
   * @param inner elements per run
   */
  public static void maskedFillForward(float[] x, int[] xOffsets, int xStep, float[] mask, int[] maskOffsets,
      int maskStep, float value, float[] out, int inner) {
    for (int r = 0; r < xOffsets.length; r++) {
      for (int j = 0; j < inner; j++) {
        out[r * inner + j] = mask[maskOffsets[r] + j * maskStep] != 0f ? value : x[xOffsets[r] + j * xStep];
      }
    }
  }

  /**
   * {@code dX += dOut · [mask = 0]}, summed where x was broadcast: the gradient of
   * {@link #maskedFillForward}, nothing where the value was filled in.
   *
   * @param dOut the output's gradient, runs × inner
   * @param mask the mask's values
   * @param maskOffsets the mask's index at the start of each run
   * @param maskStep 1, or 0 where the mask is broadcast within a run
   * @param dX x's gradient, accumulated into
   * @param xOffsets x's index at the start of each run
   * @param xStep 1, or 0 where x is broadcast within a run
   * @param inner elements per run
   */
  public static void maskedFillBackward(float[] dOut, float[] mask, int[] maskOffsets, int maskStep, float[] dX,
      int[] xOffsets, int xStep, int inner) {
    for (int r = 0; r < xOffsets.length; r++) {
      for (int j = 0; j < inner; j++) {
        if (mask[maskOffsets[r] + j * maskStep] == 0f) {
          dX[xOffsets[r] + j * xStep] += dOut[r * inner + j];
        }
      }
    }
  }

  /**
   * {@code out[i] = cond[c(i)] ≠ 0 ? a[a(i)] : b[b(i)]}, each operand read through its own index
   * per output element.
   *
   * @param cond the condition's values (a mask)
   * @param condAt where output element i reads the condition, one per output element
   * @param a the values taken where the condition holds
   * @param aAt where output element i reads a
   * @param b the values taken elsewhere
   * @param bAt where output element i reads b
   * @param out receives the result
   */
  public static void whereForward(float[] cond, int[] condAt, float[] a, int[] aAt, float[] b, int[] bAt,
      float[] out) {
    for (int i = 0; i < out.length; i++) {
      out[i] = cond[condAt[i]] != 0f ? a[aAt[i]] : b[bAt[i]];
    }
  }

  /**
   * {@code dA[a(i)] += dOut[i]} where the condition holds and {@code dB[b(i)] += dOut[i]} where it
   * does not: the gradient of {@link #whereForward}, summed where an operand was broadcast.
   *
   * @param dOut the output's gradient
   * @param cond the condition's values
   * @param condAt where output element i reads the condition
   * @param dA a's gradient, accumulated into, or null
   * @param aAt where output element i reads a
   * @param dB b's gradient, accumulated into, or null
   * @param bAt where output element i reads b
   */
  public static void whereBackward(float[] dOut, float[] cond, int[] condAt, float[] dA, int[] aAt, float[] dB,
      int[] bAt) {
    for (int i = 0; i < dOut.length; i++) {
      boolean taken = cond[condAt[i]] != 0f;
      if (taken && dA != null) {
        dA[aAt[i]] += dOut[i];
      } else if (!taken && dB != null) {
        dB[bAt[i]] += dOut[i];
      }
    }
  }
}
