package dev.tapegrad.kernel;

import static dev.tapegrad.kernel.KernelAsserts.UNIT_ROUNDOFF;
import static dev.tapegrad.kernel.KernelAsserts.assertBitwiseEqual;
import static dev.tapegrad.kernel.KernelAsserts.assertWithin;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link SoftmaxCrossEntropySimd} against {@link SoftmaxCrossEntropyKernels}: the lane
 * exponential's accuracy, the forward pass within a derived bound and the backward pass bitwise.
 */
class SoftmaxCrossEntropySimdTest {

  private static final int LANES = SoftmaxCrossEntropySimd.LANES;

  /** The documented accuracy of the lane exponential, in units in the last place. */
  private static final int EXP_MAX_ULPS = 2;

  static IntStream vocabSizes() {
    return IntStream.concat(IntStream.rangeClosed(1, 17), IntStream.of(64, 65, 100, 513));
  }

  @Test
  void laneExponentialIsWithinTwoUlpsOfMathExp() {
    // a dense sweep of [ln 2^−126, 0], all lanes of a vector at a time
    int points = 1 << 18;
    float lo = -87.3365f;
    float[] x = new float[points];
    for (int i = 0; i < points; i++) {
      x[i] = lo - lo * i / (points - 1);
    }
    float[] e = new float[points];
    for (int i = 0; i < points; i += LANES) {
      SoftmaxCrossEntropySimd.expNonPositive(FloatVector.fromArray(SoftmaxCrossEntropySimd.SPECIES, x, i))
          .intoArray(e, i);
    }
    double worst = 0;
    for (int i = 0; i < points; i++) {
      float expected = (float) Math.exp(x[i]);
      worst = Math.max(worst, Math.abs(e[i] - expected) / Math.ulp(expected));
    }
    assertTrue(worst <= EXP_MAX_ULPS, "worst error " + worst + " ulp");
  }

  @Test
  void laneExponentialHandlesItsEdges() {
    float[] x = new float[LANES];
    float[] expected = new float[LANES];
    float[] special = {0f, -0f, Float.NEGATIVE_INFINITY, -88f, -1000f, Float.NaN, -1e-30f, -87.3365f};
    float[] want = {1f, 1f, 0f, 0f, 0f, Float.NaN, 1f, (float) Math.exp(-87.3365f)};
    for (int s = 0; s < special.length; s += LANES) {
      for (int i = 0; i < LANES; i++) {
        x[i] = special[(s + i) % special.length];
        expected[i] = want[(s + i) % special.length];
      }
      float[] actual = new float[LANES];
      SoftmaxCrossEntropySimd.expNonPositive(FloatVector.fromArray(SoftmaxCrossEntropySimd.SPECIES, x, 0))
          .intoArray(actual, 0);
      for (int i = 0; i < LANES; i++) {
        if (Float.isNaN(expected[i])) {
          assertTrue(Float.isNaN(actual[i]), "e^NaN is NaN");
        } else {
          assertEquals(expected[i], actual[i], Math.ulp(expected[i]) * EXP_MAX_ULPS, "e^" + x[i]);
        }
        // the scalar tail version computes the same bits
        assertEquals(Float.floatToIntBits(actual[i]),
            Float.floatToIntBits(SoftmaxCrossEntropySimd.expNonPositive(x[i])), "scalar e^" + x[i]);
      }
    }
  }

  @ParameterizedTest(name = "vocab = {0}")
  @MethodSource("vocabSizes")
  void simdForwardMatchesReference(int vocab) {
    for (float spread : new float[] {1f, 30f, 1e4f}) {
      int rows = 3;
      SplittableRandom random = new SplittableRandom(vocab * 31L + (long) spread);
      float[] logits = KernelAsserts.uniform(random, rows * vocab);
      for (int i = 0; i < logits.length; i++) {
        logits[i] *= spread;
      }
      int[] targets = random.ints(rows, 0, vocab).toArray();
      checkForward("vocab " + vocab + ", spread " + spread, logits, targets, rows, vocab);
    }
  }

  @Test
  void simdForwardHandlesInfiniteAndHugeLogits() {
    int vocab = 2 * LANES + 3;
    float[] logits = new float[vocab];
    for (int v = 0; v < vocab; v++) {
      logits[v] = v % 3 == 0 ? Float.NEGATIVE_INFINITY : 1e30f * (v % 5 - 2);
    }
    checkForward("infinite and huge logits", logits, new int[] {1}, 1, vocab);
  }

  @ParameterizedTest(name = "vocab = {0}")
  @MethodSource("vocabSizes")
  void simdBackwardIsBitwiseTheReference(int vocab) {
    int rows = 4;
    SplittableRandom random = new SplittableRandom(vocab);
    float[] probs = KernelAsserts.uniform(random, rows * vocab);
    int[] targets = random.ints(rows, 0, vocab).toArray();
    float[] d0 = KernelAsserts.uniform(random, rows * vocab);
    float[] expected = d0.clone();
    SoftmaxCrossEntropyKernels.backwardReference(probs, targets, expected, rows, vocab, 0.125f);
    float[] actual = d0.clone();
    SoftmaxCrossEntropySimd.backwardSimd(probs, targets, actual, rows, vocab, 0.125f);
    assertBitwiseEqual("dLogits", expected, actual);
  }

  /**
   * Compares probabilities and loss with the reference. Bounds, in units of u = 2^−24: the
   * reference rounds e^x, 1/Σ and the product once each (3u relative); the SIMD path has the
   * exponential within 2 ulp (4u), a float sum of positive terms ({@code vocab·u}), then the
   * same two roundings, so a probability differs by at most {@code (vocab + 9)·u} relative, plus
   * {@code 2^−126} where the SIMD path flushes a subnormal e^x to 0. The loss differs through
   * {@code log Σ} only, by at most the sum's relative error, {@code (vocab + 4)·u} per row.
   */
  private static void checkForward(String what, float[] logits, int[] targets, int rows, int vocab) {
    float[] expected = new float[rows * vocab];
    double expectedLoss = SoftmaxCrossEntropyKernels.forwardReference(logits, targets, expected, rows, vocab);
    float[] actual = new float[rows * vocab];
    double actualLoss = SoftmaxCrossEntropySimd.forwardSimd(logits, targets, actual, rows, vocab);
    float[] tolerance = new float[expected.length];
    for (int i = 0; i < tolerance.length; i++) {
      tolerance[i] = (float) ((vocab + 9) * UNIT_ROUNDOFF * Math.abs(expected[i]) + 0x1p-126);
    }
    assertWithin(what + ": probs", expected, actual, tolerance);
    double lossTolerance = rows * (vocab + 4) * UNIT_ROUNDOFF + 1e-12 * Math.abs(expectedLoss);
    assertEquals(expectedLoss, actualLoss, lossTolerance, what + ": loss");
  }
}
