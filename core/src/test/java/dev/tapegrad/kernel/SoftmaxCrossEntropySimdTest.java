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
 * {@link SoftmaxCrossEntropySimd} against {@link SoftmaxCrossEntropyKernels}: the forward pass
 * within a derived bound and the backward pass bitwise. The lane exponential is tested in
 * {@link VectorMathTest}.
 */
class SoftmaxCrossEntropySimdTest {

  private static final int LANES = Vectors.LANES;

  static IntStream vocabSizes() {
    return IntStream.concat(IntStream.rangeClosed(1, 17), IntStream.of(64, 65, 100, 513));
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
