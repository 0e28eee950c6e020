package dev.tapegrad.bench;

import static dev.tapegrad.bench.PropertyCheck.forAll;
import static dev.tapegrad.bench.PropertyCheck.param;
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
import dev.tapegrad.tensor.Shape;
import java.util.SplittableRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * SIMD and parallel kernels against the scalar references on random shapes, with the rounding
 * bound of {@link KernelAsserts} (a tolerance scaled by the reduction length; its class comment
 * derives it). Seeds are fixed so that runs are reproducible; {@link PropertyCheck} shrinks a
 * failing shape to a small one.
 */
class KernelProperties {

  @Test
  void simdMatmulsMatchReference() {
    forAll(20240611L, 100, List.of(param("m", 1, 20), param("k", 1, 600), param("n", 1, 70)),
        c -> simdMatmulsMatch(c.get("m"), c.get("k"), c.get("n"), c.random()));
  }

  private static void simdMatmulsMatch(int m, int k, int n, SplittableRandom random) {
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
  @Test
  void parallelMatmulsMatchReferenceForAnyThreadCount() {
    forAll(20240612L, 25, List.of(param("m", 1, 200), param("k", 256, 512), param("n", 1, 200)),
        c -> parallelMatmulsMatch(c.get("m"), c.get("k"), c.get("n"), c.random()));
  }

  private static void parallelMatmulsMatch(int m, int k, int n, SplittableRandom random) {
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

  @Test
  void simdMatvecMatchesReference() {
    forAll(20240613L, 100, List.of(param("rows", 1, 100), param("cols", 1, 600), param("offset", 0, 9)),
        c -> simdMatvecMatches(c.get("rows"), c.get("cols"), c.get("offset"), c.random()));
  }

  private static void simdMatvecMatches(int rows, int cols, int offset, SplittableRandom random) {
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

  /**
   * The elementwise ops on broadcast operands (Add, Sub, Mul, Div and their backwards): random pairs
   * of shapes of rank 0 to 3 with dimensions up to 40, either or both operands stretched, so that
   * runs are shorter and longer than a vector.
   */
  @Test
  void simdBroadcastKernelsMatchReference() {
    forAll(20240614L, 200, List.of(param("rank", 0, 3), param("d0", 1, 40), param("d1", 1, 40), param("d2", 1, 40),
        param("aOnes", 0, 7), param("bOnes", 0, 7), param("bDrop", 0, 3)), c -> {
          int rank = c.get("rank");
          int[] a = new int[rank];
          int[] b = new int[rank - Math.min(rank, c.get("bDrop"))];
          for (int d = 0; d < rank; d++) {
            a[d] = (c.get("aOnes") >> d & 1) == 1 ? 1 : c.get("d" + d);
          }
          for (int d = rank - b.length; d < rank; d++) {
            b[d - rank + b.length] = (c.get("bOnes") >> d & 1) == 1 ? 1 : c.get("d" + d);
          }
          KernelAsserts.assertBroadcastKernelsMatch(Shape.of(a), Shape.of(b), c.random());
          KernelAsserts.assertBroadcastKernelsMatch(Shape.of(b), Shape.of(a), c.random());
        });
  }
}
