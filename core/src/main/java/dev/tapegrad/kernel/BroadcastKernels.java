package dev.tapegrad.kernel;

/**
 * The elementwise ops on two broadcast operands, a and b, and their backwards: the doors that hand
 * over to {@link BroadcastSimd} when {@link Vectors#ON}, each with its scalar reference right below,
 * and the division's backwards, scalar only.
 *
 * <p>Every loop walks the output as {@code dev.tapegrad.tensor.Broadcast} lays it out: run r
 * covers the {@code inner} output elements from {@code r·inner}, and reads each operand from its
 * run offset with its step (1, or 0 where the operand is broadcast and stays on one element):
 * <pre>
 *   out[r·inner + j]  ←  a[aOffsets[r] + j·aStep]  and  b[bOffsets[r] + j·bStep]
 * </pre>
 * Backward kernels accumulate. An operand read at several output positions receives the sum of
 * their gradients, added one output element at a time in output order: the sum over the
 * broadcast dimensions.
 */
public final class BroadcastKernels {

  /** The binary operator of {@link #forward}: the four arithmetic operators, one rounding each. */
  public enum Op {
    /** {@code a + b}. */
    ADD,
    /** {@code a − b}. */
    SUB,
    /** {@code a ⊙ b}. */
    MUL,
    /** {@code a / b}. */
    DIV;

    /**
     * Applies the operator to one pair of values.
     *
     * @param a the left operand
     * @param b the right operand
     * @return {@code a op b}, rounded once to float
     */
    public float apply(float a, float b) {
      return switch (this) {
        case ADD -> a + b;
        case SUB -> a - b;
        case MUL -> a * b;
        case DIV -> a / b;
      };
    }
  }

  private BroadcastKernels() {}

  /**
   * {@code out = a op b}, broadcast; bitwise the same on both paths.
   *
   * @param op the operator
   * @param a a's values
   * @param aOffsets a's index at the start of each run
   * @param aStep 1, or 0 where a is broadcast within a run
   * @param b b's values
   * @param bOffsets b's index at the start of each run
   * @param bStep 1, or 0 where b is broadcast within a run
   * @param out receives the result, runs × inner
   * @param inner elements per run
   */
  public static void forward(Op op, float[] a, int[] aOffsets, int aStep, float[] b, int[] bOffsets, int bStep,
      float[] out, int inner) {
    if (Vectors.ON) {
      BroadcastSimd.forwardSimd(op, a, aOffsets, aStep, b, bOffsets, bStep, out, inner);
      return;
    }
    forwardReference(op, a, aOffsets, aStep, b, bOffsets, bStep, out, inner);
  }

  /** The scalar loop of {@link #forward}; same arguments. */
  public static void forwardReference(Op op, float[] a, int[] aOffsets, int aStep, float[] b, int[] bOffsets,
      int bStep, float[] out, int inner) {
    for (int r = 0; r < aOffsets.length; r++) {
      for (int j = 0; j < inner; j++) {
        out[r * inner + j] = op.apply(a[aOffsets[r] + j * aStep], b[bOffsets[r] + j * bStep]);
      }
    }
  }

  /**
   * {@code dX[x(i)] += alpha · dOut[i]} for every output element i: the gradient of an operand of a
   * sum (alpha 1) or a difference (1 for a, −1 for b). The twin sums a broadcast operand's gradient
   * in another order (see {@link BroadcastSimd}).
   *
   * @param alpha the local derivative, ±1
   * @param dOut the output's gradient, runs × inner
   * @param dX the operand's gradient, accumulated into
   * @param xOffsets the operand's index at the start of each run
   * @param xStep 1, or 0 where the operand is broadcast within a run
   * @param inner elements per run
   */
  public static void accumulate(float alpha, float[] dOut, float[] dX, int[] xOffsets, int xStep, int inner) {
    if (Vectors.ON) {
      BroadcastSimd.accumulateSimd(alpha, dOut, dX, xOffsets, xStep, inner);
      return;
    }
    accumulateReference(alpha, dOut, dX, xOffsets, xStep, inner);
  }

  /** The scalar loop of {@link #accumulate}; same arguments. */
  public static void accumulateReference(float alpha, float[] dOut, float[] dX, int[] xOffsets, int xStep,
      int inner) {
    for (int r = 0; r < xOffsets.length; r++) {
      for (int j = 0; j < inner; j++) {
        dX[xOffsets[r] + j * xStep] += alpha * dOut[r * inner + j];
      }
    }
  }

  /**
   * {@code dX[x(i)] += dOut[i] · y[y(i)]} for every output element i: the gradient of one factor x
   * of a product x ⊙ y. The twin sums a broadcast operand's gradient in another order.
   *
   * @param dOut the output's gradient, runs × inner
   * @param y the other factor's values
   * @param yOffsets its index at the start of each run
   * @param yStep 1, or 0 where it is broadcast within a run
   * @param dX this factor's gradient, accumulated into
   * @param xOffsets this factor's index at the start of each run
   * @param xStep 1, or 0 where it is broadcast within a run
   * @param inner elements per run
   */
  public static void accumulateProduct(float[] dOut, float[] y, int[] yOffsets, int yStep, float[] dX,
      int[] xOffsets, int xStep, int inner) {
    if (Vectors.ON) {
      BroadcastSimd.accumulateProductSimd(dOut, y, yOffsets, yStep, dX, xOffsets, xStep, inner);
      return;
    }
    accumulateProductReference(dOut, y, yOffsets, yStep, dX, xOffsets, xStep, inner);
  }

  /** The scalar loop of {@link #accumulateProduct}; same arguments. */
  public static void accumulateProductReference(float[] dOut, float[] y, int[] yOffsets, int yStep, float[] dX,
      int[] xOffsets, int xStep, int inner) {
    for (int r = 0; r < xOffsets.length; r++) {
      for (int j = 0; j < inner; j++) {
        dX[xOffsets[r] + j * xStep] += dOut[r * inner + j] * y[yOffsets[r] + j * yStep];
      }
    }
  }

  /**
   * {@code dA[a(i)] += dOut[i] / b[b(i)]} for every output element i: the gradient of the numerator
   * of a / b.
   *
   * @param dOut the output's gradient, runs × inner
   * @param b the denominator's values
   * @param bOffsets its index at the start of each run
   * @param bStep 1, or 0 where it is broadcast within a run
   * @param dA the numerator's gradient, accumulated into
   * @param aOffsets the numerator's index at the start of each run
   * @param aStep 1, or 0 where it is broadcast within a run
   * @param inner elements per run
   */
  public static void divBackwardNumerator(float[] dOut, float[] b, int[] bOffsets, int bStep, float[] dA,
      int[] aOffsets, int aStep, int inner) {
    for (int r = 0; r < aOffsets.length; r++) {
      for (int j = 0; j < inner; j++) {
        dA[aOffsets[r] + j * aStep] += dOut[r * inner + j] / b[bOffsets[r] + j * bStep];
      }
    }
  }

  /**
   * {@code dB[b(i)] −= dOut[i] · a[a(i)] / b[b(i)]²} for every output element i: the gradient of
   * the denominator of a / b.
   *
   * @param dOut the output's gradient, runs × inner
   * @param a the numerator's values
   * @param aOffsets its index at the start of each run
   * @param aStep 1, or 0 where it is broadcast within a run
   * @param b the denominator's values
   * @param dB the denominator's gradient, accumulated into
   * @param bOffsets the denominator's index at the start of each run
   * @param bStep 1, or 0 where it is broadcast within a run
   * @param inner elements per run
   */
  public static void divBackwardDenominator(float[] dOut, float[] a, int[] aOffsets, int aStep, float[] b,
      float[] dB, int[] bOffsets, int bStep, int inner) {
    for (int r = 0; r < bOffsets.length; r++) {
      for (int j = 0; j < inner; j++) {
        float bj = b[bOffsets[r] + j * bStep];
        dB[bOffsets[r] + j * bStep] -= dOut[r * inner + j] * a[aOffsets[r] + j * aStep] / (bj * bj);
      }
    }
  }
}
