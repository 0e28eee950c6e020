package dev.tapegrad.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link ReduceSimd} against {@link ReduceKernels#extremeReference}: the same floats, for every tail length. */
class ReduceSimdTest {

  static IntStream rowLengths() {
    return IntStream.concat(IntStream.rangeClosed(1, 3 * Vectors.LANES + 1), IntStream.of(64, 100, 513));
  }

  @ParameterizedTest(name = "n = {0}")
  @MethodSource("rowLengths")
  void extremeOverContiguousRowsIsExactlyTheReference(int n) {
    int rows = 4;
    SplittableRandom random = new SplittableRandom(n);
    float[] x = new float[rows * n];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) random.nextDouble(-10, 10);
    }
    // row 1 holds signed zeros only, row 2 a NaN at a random place, row 3 −∞ everywhere
    for (int k = 0; k < n; k++) {
      x[n + k] = k % 2 == 0 ? -0f : 0f;
      x[3 * n + k] = Float.NEGATIVE_INFINITY;
    }
    x[2 * n + random.nextInt(n)] = Float.NaN;
    int[] base = {0, n, 2 * n, 3 * n};
    int[] offsets = IntStream.range(0, n).toArray();
    for (boolean max : new boolean[] {true, false}) {
      float[] expected = new float[rows];
      float[] actual = new float[rows];
      ReduceKernels.extremeReference(x, base, offsets, expected, max);
      ReduceSimd.extremeSimd(x, base, n, actual, max);
      for (int o = 0; o < rows; o++) {
        assertEquals(Float.floatToIntBits(expected[o]), Float.floatToIntBits(actual[o]),
            (max ? "max" : "min") + " of row " + o + ": " + expected[o] + " vs " + actual[o]);
      }
    }
  }
}
