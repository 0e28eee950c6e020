package dev.tapegrad.kernel;

import static dev.tapegrad.kernel.KernelAsserts.uniform;

import dev.tapegrad.tensor.AllClose;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BatchedMatMulKernelsTest {

  // three batches of 3×4 by 4×5 products: A has two matrices (batch 2 reads A_0 again), B one
  // (every batch reads it: a broadcast operand, whole array, passed without a copy), C three, the
  // second and third accumulated into the same place, so C += is tested across batches too
  private static final int M = 3;
  private static final int K = 4;
  private static final int N = 5;
  private static final int[] A_OFFSETS = {0, M * K, 0};
  private static final int[] B_OFFSETS = {0, 0, 0};
  private static final int[] C_OFFSETS = {0, M * N, M * N};

  /** Σ_p A(i, p) B(p, j) in double for one batch, with A and B read through strides. */
  private static void naive(float[] a, int aOff, int aRow, int aCol, float[] b, int bOff, int bRow, int bCol,
      double[] c, int cOff) {
    for (int i = 0; i < M; i++) {
      for (int j = 0; j < N; j++) {
        double sum = 0;
        for (int p = 0; p < K; p++) {
          sum += (double) a[aOff + i * aRow + p * aCol] * b[bOff + p * bRow + j * bCol];
        }
        c[cOff + i * N + j] += sum;
      }
    }
  }

  private static double[] start(float[] c) {
    double[] d = new double[c.length];
    for (int i = 0; i < c.length; i++) {
      d[i] = c[i];
    }
    return d;
  }

  @Test
  void eachBatchAccumulatesItsProductAtItsOffsets() {
    SplittableRandom random = new SplittableRandom(22);
    float[] a = uniform(random, 2 * M * K);
    float[] b = uniform(random, K * N);
    float[] c = uniform(random, 2 * M * N);
    double[] expected = start(c);
    for (int i = 0; i < 3; i++) {
      naive(a, A_OFFSETS[i], K, 1, b, B_OFFSETS[i], N, 1, expected, C_OFFSETS[i]);
    }
    BatchedMatMulKernels.matmul(a, A_OFFSETS, b, B_OFFSETS, c, C_OFFSETS, M, K, N);
    AllClose.check("C", expected, c, 1e-5, 1e-5);
  }

  @Test
  void theTransposedLayoutsReadTheirOperandsTransposed() {
    SplittableRandom random = new SplittableRandom(23);
    // Aᵀ·B: each A_i stored K×M
    float[] at = uniform(random, 2 * K * M);
    float[] b = uniform(random, K * N);
    float[] c = uniform(random, 2 * M * N);
    double[] expected = start(c);
    for (int i = 0; i < 3; i++) {
      naive(at, A_OFFSETS[i], 1, M, b, B_OFFSETS[i], N, 1, expected, C_OFFSETS[i]);
    }
    BatchedMatMulKernels.matmulTransA(at, A_OFFSETS, b, B_OFFSETS, c, C_OFFSETS, M, K, N);
    AllClose.check("C (Aᵀ·B)", expected, c, 1e-5, 1e-5);
    // A·Bᵀ: each B_i stored N×K
    float[] a = uniform(random, 2 * M * K);
    float[] bt = uniform(random, N * K);
    float[] c2 = uniform(random, 2 * M * N);
    double[] expected2 = start(c2);
    for (int i = 0; i < 3; i++) {
      naive(a, A_OFFSETS[i], K, 1, bt, B_OFFSETS[i], 1, K, expected2, C_OFFSETS[i]);
    }
    BatchedMatMulKernels.matmulTransB(a, A_OFFSETS, bt, B_OFFSETS, c2, C_OFFSETS, M, K, N);
    AllClose.check("C (A·Bᵀ)", expected2, c2, 1e-5, 1e-5);
  }
}
