package dev.tapegrad.kernel;

import java.util.Objects;

/**
 * The matrix products, BLAS level 3: the door of each, and its scalar reference right below. Every
 * method <em>accumulates</em> into {@code c} ({@code C += ...}); callers pass a zeroed {@code c}
 * for a plain product. Matrices are row-major {@code float[]} with the sizes given; the leading
 * dimension is the row length. Arrays must not alias: {@code c} is neither {@code a} nor {@code b}.
 *
 * <p>Each door's first line hands over to the SIMD twin when {@link Vectors#ON}:
 * {@link MatMulParallel}, which runs {@link MatMulSimd}'s register tiles on blocks of C over up to
 * {@link Kernels#threads()} threads. The references are the readable definitions the twins are
 * tested against. Their loop order {@code i, p, j} (not {@code i, j, p}) walks both {@code b} and
 * {@code c} along rows, which is what makes the naive loop tolerable.
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
  public static void matmul(float[] a, float[] b, float[] c, int m, int k, int n) {
    if (Vectors.ON) {
      MatMulParallel.matmulParallel(a, b, c, m, k, n, Kernels.threads());
      return;
    }
    matmulReference(a, b, c, m, k, n);
  }

  /** The scalar loop of {@link #matmul}; same arguments. */
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
  public static void matmulTransB(float[] a, float[] b, float[] c, int m, int k, int n) {
    if (Vectors.ON) {
      MatMulParallel.matmulTransBParallel(a, b, c, m, k, n, Kernels.threads());
      return;
    }
    matmulTransBReference(a, b, c, m, k, n);
  }

  /** The scalar loop of {@link #matmulTransB(float[], float[], float[], int, int, int)}; same arguments. */
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
   * {@code C[m,n] += A[m,k] · B[n,k]ᵀ} with B packed; bitwise the same as
   * {@link #matmulTransB(float[], float[], float[], int, int, int)} on the rows B was packed from
   * (the twin is {@link MatMulParallel#productPackedParallel}; on the scalar path the packed rows
   * are B's rows, and the reference above runs on them).
   *
   * @param a A, m×k
   * @param b B, packed
   * @param c C, m×n, accumulated into; must not be {@code a}
   * @param m rows of A and C
   */
  public static void matmulTransB(float[] a, PackedRows b, float[] c, int m) {
    if (Vectors.ON) {
      MatMulParallel.productPackedParallel(a, b.values, c, m, b.k, b.n, Kernels.threads());
      return;
    }
    matmulTransBReference(a, b.values, c, m, b.k, b.n);
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
  public static void matmulTransA(float[] a, float[] b, float[] c, int m, int k, int n) {
    if (Vectors.ON) {
      MatMulParallel.matmulTransAParallel(a, b, c, m, k, n, Kernels.threads());
      return;
    }
    matmulTransAReference(a, b, c, m, k, n);
  }

  /** The scalar loop of {@link #matmulTransA}; same arguments. */
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

  /**
   * A weight that many products read as their right-hand operand, laid out once: B given as the
   * n rows of k values of {@link #matmulTransB(float[], float[], float[], int, int, int)}, copied
   * by {@link #pack} into the SIMD tile's panels (on the scalar path, as they are). A recurrent
   * layer packs W_hh once per chunk and reads it at every step. The copy is a snapshot: after the
   * weight changes, pack it again.
   */
  public static final class PackedRows {
    private float[] values;
    private int k;
    private int n;

    /** Creates an empty operand; {@link #pack} fills it, reusing its buffer when the size allows. */
    public PackedRows() {}

    /**
     * Copies B, given as rows, into this operand.
     *
     * @param b B's rows, n×k
     * @param k the reduction length (row length)
     * @param n the number of rows, C's columns
     * @return this
     */
    public PackedRows pack(float[] b, int k, int n) {
      resize(b, k, n);
      if (Vectors.ON) {
        MatMulSimd.packTransB(b, k, n, values);
      } else {
        System.arraycopy(b, 0, values, 0, k * n);
      }
      return this;
    }

    /**
     * Copies B, given as W's transpose, into this operand: B(p, j) = W[p, j] for a k×n W, so that
     * the products give {@code C += A · W} (W's rows are B's columns p). On the scalar path W is
     * transposed into rows; on the SIMD path it goes straight into the panels, with no transpose.
     *
     * @param w W, k×n, row-major
     * @param k the reduction length, W's rows
     * @param n W's columns, C's columns
     * @return this
     */
    public PackedRows packTransposed(float[] w, int k, int n) {
      resize(w, k, n);
      if (Vectors.ON) {
        MatMulSimd.packRowMajorB(w, k, n, values);
      } else {
        ElementwiseKernels.transpose(w, k, n, values);
      }
      return this;
    }

    /** Checks that {@code source} holds k·n floats and sizes the buffer for them, reusing it when it fits. */
    private void resize(float[] source, int k, int n) {
      Objects.checkFromIndexSize(0, Math.multiplyExact(k, n), source.length);
      int size = Vectors.ON ? MatMulSimd.packedSize(k, n) : Math.multiplyExact(k, n);
      values = values != null && values.length == size ? values : new float[size];
      this.k = k;
      this.n = n;
    }
  }
}
