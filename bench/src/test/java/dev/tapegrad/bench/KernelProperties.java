package dev.tapegrad.bench;

import static dev.tapegrad.kernel.KernelAsserts.assertBitwiseEqual;
import static dev.tapegrad.kernel.KernelAsserts.assertMatMulMatches;
import static dev.tapegrad.kernel.KernelAsserts.assertWithin;
import static dev.tapegrad.kernel.KernelAsserts.sumTolerance;

import dev.tapegrad.kernel.KernelAsserts;
import dev.tapegrad.kernel.MatMulKernels;
import dev.tapegrad.kernel.MatMulParallel;
import dev.tapegrad.kernel.MatMulSimd;
import dev.tapegrad.kernel.MatVecKernels;
import dev.tapegrad.kernel.MatVecSimd;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * SIMD and parallel kernels against the scalar references on random shapes, with the rounding
 * bound of {@link KernelAsserts} (a tolerance scaled by the reduction length; its class comment
 * derives it). Seeds are fixed so that runs are reproducible; jqwik shrinks a failing shape to a
 * small one.
 */
class KernelProperties {

  @Property(tries = 100, seed = "20240611")
  void simdMatmulsMatchReference(@ForAll @IntRange(min = 1, max = 20) int m,
      @ForAll @IntRange(min = 1, max = 600) int k, @ForAll @IntRange(min = 1, max = 70) int n, @ForAll long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] a = KernelAsserts.uniform(random, m * k);
    float[] b = KernelAsserts.uniform(random, k * n);
    float[] c0 = KernelAsserts.uniform(random, m * n);
    String shape = " m=" + m + " k=" + k + " n=" + n;
    assertMatMulMatches("matmul" + shape, MatMulKernels::matmulReference, MatMulSimd::matmulSimd, a, b, c0, m, k, n);
    assertMatMulMatches("matmulTransA" + shape, MatMulKernels::matmulTransAReference, MatMulSimd::matmulTransASimd, a,
        b, c0, m, k, n);
    assertMatMulMatches("matmulTransB" + shape, MatMulKernels::matmulTransBReference, MatMulSimd::matmulTransBSimd, a,
        b, c0, m, k, n);
  }

  /**
   * Shapes up to 200×512×200, about half of them above the parallel threshold: the parallel
   * result matches the reference and has the same bits for 2 and 3 threads as for 1.
   */
  @Property(tries = 25, seed = "20240612")
  void parallelMatmulsMatchReferenceForAnyThreadCount(@ForAll @IntRange(min = 1, max = 200) int m,
      @ForAll @IntRange(min = 256, max = 512) int k, @ForAll @IntRange(min = 1, max = 200) int n,
      @ForAll long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] a = KernelAsserts.uniform(random, m * k);
    float[] b = KernelAsserts.uniform(random, k * n);
    float[] c0 = KernelAsserts.uniform(random, m * n);
    String shape = " m=" + m + " k=" + k + " n=" + n;
    float[] one = assertMatMulMatches("matmul" + shape, MatMulKernels::matmulReference,
        (x, y, c, mm, kk, nn) -> MatMulParallel.matmulParallel(x, y, c, mm, kk, nn, 1), a, b, c0, m, k, n);
    float[] oneA = assertMatMulMatches("matmulTransA" + shape, MatMulKernels::matmulTransAReference,
        (x, y, c, mm, kk, nn) -> MatMulParallel.matmulTransAParallel(x, y, c, mm, kk, nn, 1), a, b, c0, m, k, n);
    float[] oneB = assertMatMulMatches("matmulTransB" + shape, MatMulKernels::matmulTransBReference,
        (x, y, c, mm, kk, nn) -> MatMulParallel.matmulTransBParallel(x, y, c, mm, kk, nn, 1), a, b, c0, m, k, n);
    for (int threads = 2; threads <= 3; threads++) {
      float[] c = c0.clone();
      MatMulParallel.matmulParallel(a, b, c, m, k, n, threads);
      assertBitwiseEqual("matmul, " + threads + " threads" + shape, one, c);
      c = c0.clone();
      MatMulParallel.matmulTransAParallel(a, b, c, m, k, n, threads);
      assertBitwiseEqual("matmulTransA, " + threads + " threads" + shape, oneA, c);
      c = c0.clone();
      MatMulParallel.matmulTransBParallel(a, b, c, m, k, n, threads);
      assertBitwiseEqual("matmulTransB, " + threads + " threads" + shape, oneB, c);
    }
  }

  @Property(tries = 100, seed = "20240613")
  void simdMatvecMatchesReference(@ForAll @IntRange(min = 1, max = 100) int rows,
      @ForAll @IntRange(min = 1, max = 600) int cols, @ForAll @IntRange(min = 0, max = 9) int offset,
      @ForAll long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] w = KernelAsserts.uniform(random, offset + rows * cols);
    float[] x = KernelAsserts.uniform(random, offset + cols);
    float[] y = KernelAsserts.uniform(random, offset + rows);
    float[] expected = y.clone();
    MatVecKernels.matvecReference(w, offset, x, offset, expected, offset, rows, cols);
    float[] actual = y.clone();
    MatVecSimd.matvecSimd(w, offset, x, offset, actual, offset, rows, cols);
    float[] magnitude = KernelAsserts.abs(y);
    MatVecKernels.matvecReference(KernelAsserts.abs(w), offset, KernelAsserts.abs(x), offset, magnitude, offset, rows,
        cols);
    assertWithin("matvec " + rows + "×" + cols + " at offset " + offset, expected, actual,
        sumTolerance(magnitude, cols));
  }
}
