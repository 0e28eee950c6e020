package dev.tapegrad.kernel;

/**
 * Scalar reference loops for the elementwise ops on two broadcast operands, a and b, and their
 * backwards.
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

  private BroadcastKernels() {}

  /**
   * {@code out = a + b}, broadcast.
   *
   * @param a a's values
   * @param aOffsets a's index at the start of each run
   * @param aStep 1, or 0 where a is broadcast within a run
   * @param b b's values
   * @param bOffsets b's index at the start of each run
   * @param bStep 1, or 0 where b is broadcast within a run
   * @param out receives the result, runs × inner
   * @param inner elements per run
   */
  public static void addForward(float[] a, int[] aOffsets, int aStep, float[] b, int[] bOffsets, int bStep,
      float[] out, int inner) {
    for (int r = 0; r < aOffsets.length; r++) {
      for (int j = 0; j < inner; j++) {
        out[r * inner + j] = a[aOffsets[r] + j * aStep] + b[bOffsets[r] + j * bStep];
      }
    }
  }

  /**
   * {@code out = a − b}, broadcast; arguments as {@link #addForward}.
   *
   * @param a a's values
   * @param aOffsets a's index at the start of each run
   * @param aStep 1, or 0 where a is broadcast within a run
   * @param b b's values
   * @param bOffsets b's index at the start of each run
   * @param bStep 1, or 0 where b is broadcast within a run
   * @param out receives the result, runs × inner
   * @param inner elements per run
   */
  public static void subForward(float[] a, int[] aOffsets, int aStep, float[] b, int[] bOffsets, int bStep,
      float[] out, int inner) {
    for (int r = 0; r < aOffsets.length; r++) {
      for (int j = 0; j < inner; j++) {
        out[r * inner + j] = a[aOffsets[r] + j * aStep] - b[bOffsets[r] + j * bStep];
      }
    }
  }

  /**
   * {@code out = a ⊙ b}, broadcast; arguments as {@link #addForward}.
   *
   * @param a a's values
   * @param aOffsets a's index at the start of each run
   * @param aStep 1, or 0 where a is broadcast within a run
   * @param b b's values
   * @param bOffsets b's index at the start of each run
   * @param bStep 1, or 0 where b is broadcast within a run
   * @param out receives the result, runs × inner
   * @param inner elements per run
   */
  public static void mulForward(float[] a, int[] aOffsets, int aStep, float[] b, int[] bOffsets, int bStep,
      float[] out, int inner) {
    for (int r = 0; r < aOffsets.length; r++) {
      for (int j = 0; j < inner; j++) {
        out[r * inner + j] = a[aOffsets[r] + j * aStep] * b[bOffsets[r] + j * bStep];
      }
    }
  }

  /**
   * {@code out = a / b}, broadcast; arguments as {@link #addForward}.
   *
   * @param a a's values
   * @param aOffsets a's index at the start of each run
   * @param aStep 1, or 0 where a is broadcast within a run
   * @param b b's values
   * @param bOffsets b's index at the start of each run
   * @param bStep 1, or 0 where b is broadcast within a run
   * @param out receives the result, runs × inner
   * @param inner elements per run
   */
  public static void divForward(float[] a, int[] aOffsets, int aStep, float[] b, int[] bOffsets, int bStep,
      float[] out, int inner) {
    for (int r = 0; r < aOffsets.length; r++) {
      for (int j = 0; j < inner; j++) {
        out[r * inner + j] = a[aOffsets[r] + j * aStep] / b[bOffsets[r] + j * bStep];
      }
    }
  }

  /**
   * {@code dX[x(i)] += alpha · dOut[i]} for every output element i: the gradient of an operand of a
   * sum (alpha 1) or a difference (1 for a, −1 for b).
   *
   * @param alpha the local derivative, ±1
   * @param dOut the output's gradient, runs × inner
   * @param dX the operand's gradient, accumulated into
   * @param xOffsets the operand's index at the start of each run
   * @param xStep 1, or 0 where the operand is broadcast within a run
   * @param inner elements per run
   */
  public static void accumulate(float alpha, float[] dOut, float[] dX, int[] xOffsets, int xStep, int inner) {
    for (int r = 0; r < xOffsets.length; r++) {
      for (int j = 0; j < inner; j++) {
        dX[xOffsets[r] + j * xStep] += alpha * dOut[r * inner + j];
      }
    }
  }

  /**
   * {@code dX[x(i)] += dOut[i] · y[y(i)]} for every output element i: the gradient of one factor x
   * of a product x ⊙ y.
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
