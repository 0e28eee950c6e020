package dev.tapegrad.kernel;

import static dev.tapegrad.kernel.KernelAsserts.assertBitwiseEqual;
import static dev.tapegrad.kernel.KernelAsserts.assertMatMulMatches;
import static dev.tapegrad.kernel.KernelAsserts.uniform;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.kernel.KernelAsserts.MatMulKernel;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link MatMulParallel}: the same bits for every thread count, and within the rounding bound of
 * the scalar reference. Shapes are above {@link MatMulParallel#MIN_PARALLEL_FLOPS}, so they are
 * really split, along rows (m ≥ n) or columns (m &lt; n), with ragged last blocks.
 */
class MatMulParallelTest {

  private static final int[] THREAD_COUNTS = {2, 3, 4, 7};

  @ParameterizedTest(name = "m={0} k={1} n={2}")
  @CsvSource({"97, 131, 83", "2001, 71, 9", "5, 300, 1537", "1, 2048, 1030", "64, 512, 384"})
  void parallelMatmulIsBitwiseIdenticalForEveryThreadCount(int m, int k, int n) {
    assertTrue(2L * m * k * n >= MatMulParallel.MIN_PARALLEL_FLOPS, "shape is large enough to be split");
    SplittableRandom random = new SplittableRandom(31L * m + n);
    float[] a = uniform(random, m * k);
    float[] b = uniform(random, k * n);
    float[] c0 = uniform(random, m * n);
    checkThreadCounts("matmul", MatMulSimd::matmulSimd,
        threads -> (x, y, c, mm, kk, nn) -> MatMulParallel.matmulParallel(x, y, c, mm, kk, nn, threads),
        a, b, c0, m, k, n);
    checkThreadCounts("matmulTransA", MatMulSimd::matmulTransASimd,
        threads -> (x, y, c, mm, kk, nn) -> MatMulParallel.matmulTransAParallel(x, y, c, mm, kk, nn, threads),
        a, b, c0, m, k, n);
    checkThreadCounts("matmulTransB", MatMulSimd::matmulTransBSimd,
        threads -> (x, y, c, mm, kk, nn) -> MatMulParallel.matmulTransBParallel(x, y, c, mm, kk, nn, threads),
        a, b, c0, m, k, n);
  }

  @ParameterizedTest(name = "m={0} k={1} n={2}")
  @CsvSource({"97, 131, 83", "5, 300, 1537"})
  void parallelMatmulMatchesReference(int m, int k, int n) {
    SplittableRandom random = new SplittableRandom(17L * m + k);
    float[] a = uniform(random, m * k);
    float[] b = uniform(random, k * n);
    float[] c0 = uniform(random, m * n);
    assertMatMulMatches("matmul", MatMulKernels::matmulReference,
        (x, y, c, mm, kk, nn) -> MatMulParallel.matmulParallel(x, y, c, mm, kk, nn, 3), a, b, c0, m, k, n);
    assertMatMulMatches("matmulTransA", MatMulKernels::matmulTransAReference,
        (x, y, c, mm, kk, nn) -> MatMulParallel.matmulTransAParallel(x, y, c, mm, kk, nn, 3), a, b, c0, m, k, n);
    assertMatMulMatches("matmulTransB", MatMulKernels::matmulTransBReference,
        (x, y, c, mm, kk, nn) -> MatMulParallel.matmulTransBParallel(x, y, c, mm, kk, nn, 3), a, b, c0, m, k, n);
  }

  @Test
  void rejectsThreadCountBelowOne() {
    float[] one = {1};
    assertThrows(IllegalArgumentException.class, () -> MatMulParallel.matmulParallel(one, one, one, 1, 1, 1, 0));
  }

  /** A parallel kernel for a given thread count. */
  @FunctionalInterface
  private interface ThreadedKernel {
    MatMulKernel withThreads(int threads);
  }

  /** The serial SIMD result, then each thread count's result, which must have the same bits. */
  private static void checkThreadCounts(String name, MatMulKernel serial, ThreadedKernel parallel, float[] a,
      float[] b, float[] c0, int m, int k, int n) {
    float[] expected = c0.clone();
    serial.apply(a, b, expected, m, k, n);
    float[] one = c0.clone();
    parallel.withThreads(1).apply(a, b, one, m, k, n);
    assertBitwiseEqual(name + " 1 thread vs serial", expected, one);
    for (int threads : THREAD_COUNTS) {
      float[] actual = c0.clone();
      parallel.withThreads(threads).apply(a, b, actual, m, k, n);
      assertBitwiseEqual(name + " " + threads + " threads vs serial, m=" + m + " k=" + k + " n=" + n, expected,
          actual);
    }
  }
}
