package dev.tapegrad.kernel;

import static dev.tapegrad.kernel.KernelAsserts.assertBitwiseEqual;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link ElementwiseSimd} against {@link ElementwiseKernels}' references: the same floats, for every tail length. */
class ElementwiseSimdTest {

  static IntStream lengths() {
    return IntStream.concat(IntStream.rangeClosed(0, 3 * Vectors.LANES + 1), IntStream.of(64, 100, 513));
  }

  /** Values in [−2, 2), with signed zeros, a NaN and infinities among them when there is room. */
  private static float[] values(SplittableRandom random, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) random.nextDouble(-2, 2);
    }
    float[] specials = {-0f, 0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE};
    for (int k = 0; k < specials.length && n > 0; k++) {
      x[random.nextInt(n)] = specials[k];
    }
    return x;
  }

  @ParameterizedTest(name = "n = {0}")
  @MethodSource("lengths")
  void reluBackwardAccumulatesExactlyAsTheReference(int n) {
    SplittableRandom random = new SplittableRandom(31L * n + 1);
    float[] y = new float[n];
    ElementwiseKernels.reluForward(values(random, n), y);
    float[] dY = values(random, n);
    float[] expected = values(random, n);
    float[] actual = expected.clone();
    ElementwiseKernels.reluBackwardReference(dY, y, expected);
    ElementwiseSimd.reluBackwardSimd(dY, y, actual);
    assertBitwiseEqual("dX", expected, actual);
  }
}
