package dev.tapegrad.kernel;

import static dev.tapegrad.kernel.KernelAsserts.UNIT_ROUNDOFF;
import static dev.tapegrad.kernel.KernelAsserts.assertWithin;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link SoftmaxSimd} against {@link SoftmaxKernels}, within bounds derived from their roundings. */
class SoftmaxSimdTest {

  static IntStream rowLengths() {
    return IntStream.concat(IntStream.rangeClosed(1, 17), IntStream.of(64, 65, 100, 513));
  }

  @ParameterizedTest(name = "cols = {0}")
  @MethodSource("rowLengths")
  void fastForwardsMatchTheReference(int cols) {
    for (float spread : new float[] {1f, 30f, 1e4f}) {
      int rows = 3;
      SplittableRandom random = new SplittableRandom(cols * 31L + (long) spread);
      float[] x = KernelAsserts.uniform(random, rows * cols);
      for (int i = 0; i < x.length; i++) {
        x[i] *= spread;
      }
      check("cols " + cols + ", spread " + spread, x, rows, cols);
    }
  }

  @Test
  void fastForwardsHandleInfiniteAndHugeInputs() {
    int cols = 2 * Vectors.LANES + 3;
    float[] x = new float[cols];
    for (int v = 0; v < cols; v++) {
      x[v] = v % 3 == 0 ? Float.NEGATIVE_INFINITY : 1e30f * (v % 5 - 2);
    }
    check("infinite and huge inputs", x, 1, cols);
  }

  /**
   * Softmax: as for {@link SoftmaxCrossEntropySimd}'s probabilities, {@code (cols + 9)·u} relative
   * plus 2^−126 for an exponential the fast path flushes to 0. Log-softmax: both compute
   * {@code x − m} the same; ln Σ differs by the sum's relative error {@code (cols + 4)·u} plus the
   * rounding of ln Σ to float, and the subtraction rounds once more, so within
   * {@code (cols + 4)·u + 3u·|y|} (|y| ≥ ln Σ).
   */
  private static void check(String what, float[] x, int rows, int cols) {
    float[] expected = new float[x.length];
    float[] actual = new float[x.length];
    SoftmaxKernels.softmaxForwardReference(x, expected, rows, cols);
    SoftmaxSimd.softmaxForwardSimd(x, actual, rows, cols);
    float[] tolerance = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      tolerance[i] = (float) ((cols + 9) * UNIT_ROUNDOFF * Math.abs(expected[i]) + 0x1p-126);
    }
    assertWithin(what + ": softmax", expected, actual, tolerance);

    SoftmaxKernels.logSoftmaxForwardReference(x, expected, rows, cols);
    SoftmaxSimd.logSoftmaxForwardSimd(x, actual, rows, cols);
    for (int i = 0; i < x.length; i++) {
      if (Float.isInfinite(expected[i])) {
        // ln 0 of an input at −∞: the same infinity on both paths, then compared as zeros
        assertEquals(expected[i], actual[i], what + ": log-softmax at " + i);
        expected[i] = 0;
        actual[i] = 0;
      }
      tolerance[i] = (float) (((cols + 4) + 3 * Math.abs(expected[i])) * UNIT_ROUNDOFF);
    }
    assertWithin(what + ": log-softmax", expected, actual, tolerance);
  }
}
