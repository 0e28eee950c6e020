package dev.tapegrad.kernel;

/**
 * Batches of matrix products, each run by the doors of {@link MatMulKernels} (so on the packed SIMD
 * micro-kernel when vectors are on, on the reference loops otherwise). This
 * class adds no arithmetic of its own: only the loop over batches and the placing of each batch's
 * slices.
 *
 * <p>Batch i multiplies the matrix of A that starts at {@code aOffsets[i]} by the one of B that
 * starts at {@code bOffsets[i]} and accumulates into the one of C at {@code cOffsets[i]}. Offsets
 * may repeat: an operand broadcast over batches is read, and its gradient accumulated, at the same
 * offset by every batch it serves. The three layouts are those of {@link MatMulKernels}:
 *
 * <pre>
 *   matmul        C_i[m,n] += A_i[m,k] · B_i[k,n]
 *   matmulTransA  C_i[m,n] += A_i[k,m]ᵀ · B_i[k,n]
 *   matmulTransB  C_i[m,n] += A_i[m,k] · B_i[n,k]ᵀ
 * </pre>
 *
 * <p>Note: {@link MatMulKernels}' doors take whole arrays, from index 0. A slice that is its whole
 * array (an operand with a single batch, or a single product) is passed as it is; any other slice
 * is copied into a scratch array first, and an accumulated C slice is copied in and back out. The
 * copies cost O(m·k + k·n + m·n) per batch against the product's 2·m·k·n operations. A product
 * whose right operand has a single batch never gets here in pieces: {@code ops.MatMul} folds the
 * batches of A into rows and makes one call, which is exactly the (B·T, C) product of a 2-D input.
 * Batches run one after another; each product splits over threads as {@link MatMulKernels} decides.
 */
public final class BatchedMatMulKernels {

  private BatchedMatMulKernels() {}

  /** One of the three products of {@link MatMulKernels}, on whole arrays. */
  private interface Product {
    void run(float[] a, float[] b, float[] c, int m, int k, int n);
  }

  /**
   * {@code C_i[m,n] += A_i[m,k] · B_i[k,n]} for every batch i.
   *
   * @param a the array holding every A_i
   * @param aOffsets index of A_i[0,0], one per batch
   * @param b the array holding every B_i
   * @param bOffsets index of B_i[0,0], one per batch
   * @param c the array holding every C_i, accumulated into; must not be {@code a} or {@code b}
   * @param cOffsets index of C_i[0,0], one per batch
   * @param m rows of A_i and C_i
   * @param k columns of A_i, rows of B_i
   * @param n columns of B_i and C_i
   */
  public static void matmul(float[] a, int[] aOffsets, float[] b, int[] bOffsets, float[] c, int[] cOffsets, int m,
      int k, int n) {
    batches(MatMulKernels::matmul, a, aOffsets, m * k, b, bOffsets, k * n, c, cOffsets, m, k, n);
  }

  /**
   * {@code C_i[m,n] += A_i[k,m]ᵀ · B_i[k,n]} for every batch i: the right operand's gradient.
   *
   * @param a the array holding every A_i (each k×m)
   * @param aOffsets index of A_i[0,0], one per batch
   * @param b the array holding every B_i (each k×n)
   * @param bOffsets index of B_i[0,0], one per batch
   * @param c the array holding every C_i (each m×n), accumulated into
   * @param cOffsets index of C_i[0,0], one per batch
   * @param m columns of A_i, rows of C_i
   * @param k rows of A_i and B_i (the reduction)
   * @param n columns of B_i and C_i
   */
  public static void matmulTransA(float[] a, int[] aOffsets, float[] b, int[] bOffsets, float[] c, int[] cOffsets,
      int m, int k, int n) {
    batches(MatMulKernels::matmulTransA, a, aOffsets, k * m, b, bOffsets, k * n, c, cOffsets, m, k, n);
  }

  /**
   * {@code C_i[m,n] += A_i[m,k] · B_i[n,k]ᵀ} for every batch i: the left operand's gradient.
   *
   * @param a the array holding every A_i (each m×k)
   * @param aOffsets index of A_i[0,0], one per batch
   * @param b the array holding every B_i (each n×k)
   * @param bOffsets index of B_i[0,0], one per batch
   * @param c the array holding every C_i (each m×n), accumulated into
   * @param cOffsets index of C_i[0,0], one per batch
   * @param m rows of A_i and C_i
   * @param k the reduction length
   * @param n rows of B_i, columns of C_i
   */
  public static void matmulTransB(float[] a, int[] aOffsets, float[] b, int[] bOffsets, float[] c, int[] cOffsets,
      int m, int k, int n) {
    batches(MatMulKernels::matmulTransB, a, aOffsets, m * k, b, bOffsets, n * k, c, cOffsets, m, k, n);
  }

  private static void batches(Product product, float[] a, int[] aOffsets, int aSize, float[] b, int[] bOffsets,
      int bSize, float[] c, int[] cOffsets, int m, int k, int n) {
    int cSize = m * n;
    float[] aScratch = aSize == a.length ? null : new float[aSize];
    float[] bScratch = bSize == b.length ? null : new float[bSize];
    float[] cScratch = cSize == c.length ? null : new float[cSize];
    for (int i = 0; i < cOffsets.length; i++) {
      float[] ai = slice(a, aOffsets[i], aScratch);
      float[] bi = slice(b, bOffsets[i], bScratch);
      float[] ci = slice(c, cOffsets[i], cScratch);
      // C_i += op(A_i) · op(B_i)
      product.run(ai, bi, ci, m, k, n);
      if (ci != c) {
        System.arraycopy(ci, 0, c, cOffsets[i], cSize);
      }
    }
  }

  /** The slice of {@code x} from {@code offset}: x itself when it is the whole array, else a copy in scratch. */
  private static float[] slice(float[] x, int offset, float[] scratch) {
    if (scratch == null) {
      return x;
    }
    System.arraycopy(x, offset, scratch, 0, scratch.length);
    return scratch;
  }
}
