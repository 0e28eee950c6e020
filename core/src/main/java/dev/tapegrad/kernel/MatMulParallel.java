package dev.tapegrad.kernel;

/**
 * The SIMD matrix products of {@link MatMulSimd}, split over threads with {@link Parallel}.
 *
 * <p>Each method is identical to its {@link MatMulSimd} counterpart except that C is cut into
 * at most {@code threads} contiguous blocks, along its rows when m ≥ n and along its columns
 * otherwise (so a tall C splits A and a wide C splits B, the larger operand either way; a product
 * with packed B always splits its panels), and the blocks run in parallel. Products below
 * {@link #MIN_PARALLEL_FLOPS} run on the calling thread.
 *
 * <p>Every element of C is computed by exactly one block, with the tile arithmetic of
 * {@link MatMulSimd}, whose chain of fused multiply-adds per element does not depend on where the
 * element's tile sits. So the result is bitwise the same for every thread count, including one.
 *
 * <p>This class touches {@code jdk.incubator.vector} through {@link MatMulSimd}; it is reached
 * only from the doors of {@link MatMulKernels}, when {@link Vectors#ON}.
 */
public final class MatMulParallel {

  /**
   * Products with fewer floating-point operations (2·m·k·n) than this run single-threaded:
   * about 50 µs of work for one core, well above the cost of handing a block to the pool.
   */
  public static final long MIN_PARALLEL_FLOPS = 1L << 21;

  private MatMulParallel() {}

  /**
   * {@code C[m,n] += A[m,k] · B[k,n]}; identical to {@link MatMulSimd#matmulSimd} except that
   * blocks of C run on up to {@code threads} threads. The
   * arguments of {@link MatMulSimd#matmulSimd}, then the most threads to use, ≥ 1.
   */
  public static void matmulParallel(float[] a, float[] b, float[] c, int m, int k, int n, int threads) {
    product(a, k, 1, b, n, 1, c, m, k, n, threads);
  }

  /**
   * {@code C[m,n] += A[k,m]ᵀ · B[k,n]}; identical to {@link MatMulSimd#matmulTransASimd} except
   * that blocks of C run on up to {@code threads} threads. The
   * arguments of {@link MatMulSimd#matmulTransASimd}, then the most threads to use, ≥ 1.
   */
  public static void matmulTransAParallel(float[] a, float[] b, float[] c, int m, int k, int n, int threads) {
    product(a, 1, m, b, n, 1, c, m, k, n, threads);
  }

  /**
   * {@code C[m,n] += A[m,k] · B[n,k]ᵀ}; identical to {@link MatMulSimd#matmulTransBSimd} except
   * that blocks of C run on up to {@code threads} threads. The
   * arguments of {@link MatMulSimd#matmulTransBSimd}, then the most threads to use, ≥ 1.
   */
  public static void matmulTransBParallel(float[] a, float[] b, float[] c, int m, int k, int n, int threads) {
    product(a, k, 1, b, 1, k, c, m, k, n, threads);
  }

  /**
   * {@code C[m,n] += A[m,k] · B} with B packed by {@link MatMulSimd#packTransB}; identical to
   * {@link MatMulSimd#productPacked} over all columns except that blocks of whole panels of C's
   * columns run on up to {@code threads} threads.
   *
   * @param a A, m×k
   * @param packed B, packed
   * @param c C, m×n, accumulated into
   * @param m rows of A and C
   * @param k the reduction length
   * @param n columns of C
   * @param threads the most threads to use, ≥ 1
   */
  public static void productPackedParallel(float[] a, float[] packed, float[] c, int m, int k, int n, int threads) {
    int blocks = blocks(m, k, n, threads);
    try (MatMulSimd.Scratches scratches = MatMulSimd.Scratches.take(blocks)) {
      Parallel.forEachBlock(n, blocks, MatMulSimd.TILE_COLS,
          (block, j0, j1) -> MatMulSimd.productPacked(a, packed, c, m, k, n, j0, j1, scratches.block(block)));
    }
  }

  /**
   * C += A·B on strided views of A and B starting at index 0 (see {@link MatMulSimd#product}), C
   * cut into blocks of rows (when m ≥ n, so each block reads its own rows of A) or of columns
   * (each block its own columns of B).
   */
  private static void product(float[] a, int aRowStride, int aColStride, float[] b, int bRowStride, int bColStride,
      float[] c, int m, int k, int n, int threads) {
    int blocks = blocks(m, k, n, threads);
    try (MatMulSimd.Scratches scratches = MatMulSimd.Scratches.take(blocks)) {
      if (m >= n) {
        Parallel.forEachBlock(m, blocks, MatMulSimd.TILE_ROWS, (block, i0, i1) -> MatMulSimd.product(a,
            i0 * aRowStride, aRowStride, aColStride, b, 0, bRowStride, bColStride, c, i0 * n, n, i1 - i0, k, n,
            scratches.block(block)));
      } else {
        Parallel.forEachBlock(n, blocks, MatMulSimd.TILE_COLS, (block, j0, j1) -> MatMulSimd.product(a, 0,
            aRowStride, aColStride, b, j0 * bColStride, bRowStride, bColStride, c, j0, n, m, k, j1 - j0,
            scratches.block(block)));
      }
    }
  }

  /** One block per thread, or a single block when the product is too small to share. */
  private static int blocks(int m, int k, int n, int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    long flops = 2L * m * k * n;
    return flops < MIN_PARALLEL_FLOPS ? 1 : threads;
  }
}
