package dev.tapegrad.kernel;

/**
 * Scalar reference matrix products. Every method <em>accumulates</em> into {@code c}
 * ({@code C += ...}); callers pass a zeroed {@code c} for a plain product. Matrices are row-major
 * {@code float[]} with the sizes given; the leading dimension is the row length.
 *
 * <p>These are the readable definitions that the SIMD and parallel kernels are tested against.
 * The loop order {@code i, p, j} (not {@code i, j, p}) walks both {@code b} and {@code c} along
 * rows, which is what makes the naive loop tolerable.
 */
public final class MatMulKernels {

  private MatMulKernels() {}

  /**
   * {@code C[m,n] += A[m,k] · B[k,n]}.
   *
   * @param a A, m×k
   * @param b B, k×n
   * @param c C, m×n, accumulated into
   * @param m rows of A and C
   * @param k columns of A, rows of B
   * @param n columns of B and C
   */
  public static void matmulReference(float[] a, float[] b, float[] c, int m, int k, int n) {
    for (int i = 0; i < m; i++) {
      for (int p = 0; p < k; p++) {
        float aip = a[i * k + p];
        // C[i,:] += A[i,p] * B[p,:]
        for (int j = 0; j < n; j++) {
          c[i * n + j] += aip * b[p * n + j];
        }
      }
    }
  }

  /**
   * {@code C[m,n] += A[m,k] · B[n,k]ᵀ}: each output is the dot product of a row of A and a row of B.
   * This is {@code Linear}'s forward ({@code x Wᵀ}) in PyTorch's weight layout.
   *
   * @param a A, m×k
   * @param b B, n×k
   * @param c C, m×n, accumulated into
   * @param m rows of A and C
   * @param k shared (reduction) length
   * @param n rows of B, columns of C
   */
  public static void matmulTransBReference(float[] a, float[] b, float[] c, int m, int k, int n) {
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        // C[i,j] += Σ_p A[i,p] B[j,p]
        float sum = 0f;
        for (int p = 0; p < k; p++) {
          sum += a[i * k + p] * b[j * k + p];
        }
        c[i * n + j] += sum;
      }
    }
  }

  /**
   * {@code C[m,n] += A[k,m]ᵀ · B[k,n]}: the weight gradient of a product, summed over the k rows
   * (batch or time steps).
   *
   * @param a A, k×m
   * @param b B, k×n
   * @param c C, m×n, accumulated into
   * @param m columns of A, rows of C
   * @param k rows of A and B (the reduction)
   * @param n columns of B and C
   */
  public static void matmulTransAReference(float[] a, float[] b, float[] c, int m, int k, int n) {
    for (int p = 0; p < k; p++) {
      for (int i = 0; i < m; i++) {
        float api = a[p * m + i];
        // C[i,:] += A[p,i] * B[p,:]
        for (int j = 0; j < n; j++) {
          c[i * n + j] += api * b[p * n + j];
        }
      }
    }
  }
}
