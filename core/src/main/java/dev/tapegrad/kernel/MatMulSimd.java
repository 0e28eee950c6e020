package dev.tapegrad.kernel;

import static dev.tapegrad.kernel.Vectors.LANES;
import static dev.tapegrad.kernel.Vectors.SPECIES;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;

/**
 * Vector API matrix products: one register tile behind all three layouts of
 * {@link MatMulKernels}, single-threaded. {@link MatMulParallel} runs the same loops on blocks
 * of the output.
 *
 * <p>This class touches {@code jdk.incubator.vector}; it is reached only from the doors of
 * {@link MatMulKernels} (through {@link MatMulParallel}) when {@link Vectors#ON}, so the scalar path
 * never loads it.
 *
 * <p>Legend: m, k, n as in {@link MatMulKernels}; L = {@link Vectors#LANES} floats per vector (8 with
 * AVX2, 16 with AVX-512); MR = {@link #TILE_ROWS}, NR = {@link #TILE_COLS} = 2L; p runs over the
 * reduction. A and B are read through strides, so {@code A}, {@code Aᵀ}, {@code B} and
 * {@code Bᵀ} are the same code: {@code A(i,p) = a[aOff + i·aRowStride + p·aColStride]},
 * {@code B(p,j) = b[bOff + p·bRowStride + j·bColStride]}.
 *
 * <p>How a product runs (the loop order of BLIS and OpenBLAS):
 * <ol>
 *   <li>B is copied, a block of at most {@link #K_BLOCK} rows by {@link #N_BLOCK} columns at a
 *       time, into <b>panels</b> NR columns wide, each row of a panel contiguous
 *       ({@link #packB}). Whatever B's layout, the tile then reads two vectors per p from one
 *       place. A weight used in many products can be packed once ({@link #packTransB}) and reused.
 *   <li>The <b>tile</b> holds an MR×NR block of C in 2·MR vector registers; per p it loads the
 *       panel's two vectors {@code B(p, j..j+NR)}, broadcasts each of its MR rows' values
 *       {@code A(i, p)}, and does {@code C(i, j..) ← fma(A(i,p), B(p, j..), C(i, j..))}: no lane
 *       reduction anywhere. Rows go in blocks of {@link #M_BLOCK}, so that a block of A stays in L2
 *       while the panels pass. A with its rows contiguous (A·B, A·Bᵀ) is read in place through its
 *       strides; a transposed A (Aᵀ·B, whose rows are adjacent and columns a stride apart) is
 *       first copied, a block at a time, into slivers as tall as the tiles ({@link #packBlockA}),
 *       so that the tile reads it contiguously instead of one cache line per p.
 * </ol>
 * A block's last rows go in tiles of MR or of {@link #SHORT_ROWS} rows, whichever wastes less
 * ({@link #tileHeight}). Columns beyond the last full panel are zero in B's copy, and rows beyond
 * the last tile's real ones are zero in a copy of its sliver of A ({@link #packA}); such edge
 * tiles work on a scratch copy of C, of which only the real rows and columns are written back.
 * (Copying all of a row-major A into slivers, as BLIS does, cost as much as the products with few
 * columns, such as a layer's 65 output characters, and gained nothing measurable on the others.)
 *
 * <p>Every element of C is therefore updated as {@code c ← fma(A(i,p), B(p,j), c)} for p = 0, 1,
 * …, k−1 in order, starting from C's value; the reference does the same with an unfused
 * {@code c += a·b} (one rounding less per step here). That chain does not depend on the tile, the
 * block sizes, or on how {@link MatMulParallel} splits C, so neither does the result.
 *
 * <p>The copies live in {@link Scratch} buffers (about 0.6 MB each with L = 16) that the calling
 * thread keeps, one per block of its products ({@link Scratches}), so that a product in steady
 * state allocates nothing. They hold no state from one call to the next that could change a
 * result. Arrays must not alias: {@code c} is neither {@code a} nor {@code b}.
 */
public final class MatMulSimd {

  /** Rows of C per tile: MR. Twelve accumulators, two B vectors and a broadcast fit AVX2's 16 registers. */
  static final int TILE_ROWS = 6;

  /**
   * Rows of the short tile: a block's last rows go in tiles of MR or of this many, whichever wastes
   * less ({@link #tileHeight}), so that m = 32 (a batch) is 6+6+6+6+4+4 rather than five tiles of
   * six and a six-row tile for two rows.
   */
  static final int SHORT_ROWS = 4;

  /** Columns of C per tile: NR, two vectors. */
  static final int TILE_COLS = 2 * LANES;

  /** Reduction steps per block: a K_BLOCK×NR panel of B (32 KB with L = 16) stays in L1. */
  static final int K_BLOCK = 256;

  /** Rows of A per block, a multiple of MR: an M_BLOCK×K_BLOCK block of A (96 KB) stays in L2. */
  static final int M_BLOCK = 96;

  /** Columns of B per block, a multiple of NR: a K_BLOCK×N_BLOCK block of packed B (512 KB) stays in L2. */
  static final int N_BLOCK = 512;

  /**
   * The copies of one running block of a product: a short last sliver of A, a block of a transposed A
   * in slivers ({@link #packBlockA}), a block of B and one tile of C.
   */
  static final class Scratch {
    final float[] a = new float[TILE_ROWS * K_BLOCK];
    final float[] aBlock = new float[(M_BLOCK + SHORT_ROWS) * K_BLOCK];
    final float[] b = new float[K_BLOCK * N_BLOCK];
    final float[] c = new float[TILE_ROWS * TILE_COLS];
  }

  /**
   * The scratch of a calling thread's products, one {@link Scratch} per block, kept from one product
   * to the next. It belongs to the thread that calls, not to the threads that run the blocks: JDK
   * 17's common pool erases its workers' thread-locals after every task, so a scratch kept by the
   * running thread was made again, 0.5 MB, for every block of every product. Take it with
   * {@link #take}, close it when the product is done; a product that starts while its thread's
   * scratch is taken (one nested in another) gets new buffers.
   */
  static final class Scratches implements AutoCloseable {
    private static final ThreadLocal<Scratches> OF_CALLER = ThreadLocal.withInitial(Scratches::new);

    private Scratch[] blocks = new Scratch[0];
    private boolean taken;

    private Scratches() {}

    /**
     * Returns the calling thread's scratch with at least {@code count} blocks, marked taken.
     *
     * @param count the blocks of the product about to run
     * @return the scratch; close it after the product
     */
    static Scratches take(int count) {
      Scratches scratches = OF_CALLER.get();
      if (scratches.taken) {
        scratches = new Scratches();
      }
      scratches.taken = true;
      if (scratches.blocks.length < count) {
        Scratch[] grown = Arrays.copyOf(scratches.blocks, count);
        for (int i = scratches.blocks.length; i < count; i++) {
          grown[i] = new Scratch();
        }
        scratches.blocks = grown;
      }
      return scratches;
    }

    /** {@return the scratch of block {@code block}, below the count given to {@link #take}} */
    Scratch block(int block) {
      return blocks[block];
    }

    /** Gives the scratch back to its thread for the next product. */
    @Override
    public void close() {
      taken = false;
    }
  }

  private MatMulSimd() {}

  /**
   * {@code C[m,n] += A[m,k] · B[k,n]}; identical to {@link MatMulKernels#matmulReference} except
   * that each {@code c += a·b} step is a fused multiply-add, done in MR×NR register tiles. Same
   * arguments.
   */
  public static void matmulSimd(float[] a, float[] b, float[] c, int m, int k, int n) {
    product(a, 0, k, 1, b, 0, n, 1, c, 0, n, m, k, n);
  }

  /**
   * {@code C[m,n] += A[k,m]ᵀ · B[k,n]}; identical to {@link MatMulKernels#matmulTransAReference}
   * except that each {@code c += a·b} step is a fused multiply-add, done in MR×NR register tiles. Same
   * arguments.
   */
  public static void matmulTransASimd(float[] a, float[] b, float[] c, int m, int k, int n) {
    // A(i, p) = a[p·m + i]: the transpose is just another pair of strides
    product(a, 0, 1, m, b, 0, n, 1, c, 0, n, m, k, n);
  }

  /**
   * {@code C[m,n] += A[m,k] · B[n,k]ᵀ}; identical to {@link MatMulKernels#matmulTransBReference}
   * except that each dot product is a chain of fused multiply-adds onto C, in MR×NR register
   * tiles, rather than a sum added to C once. Same
   * arguments.
   */
  public static void matmulTransBSimd(float[] a, float[] b, float[] c, int m, int k, int n) {
    // B(p, j) = b[j·k + p]
    product(a, 0, k, 1, b, 0, 1, k, c, 0, n, m, k, n);
  }

  /**
   * {@code C(i,j) += Σ_p A(i,p) · B(p,j)} for i &lt; m, j &lt; n, on strided views (see the class
   * comment), packing B block by block.
   *
   * @param a the array holding A
   * @param aOff index of A(0,0)
   * @param aRowStride distance between A(i,p) and A(i+1,p)
   * @param aColStride distance between A(i,p) and A(i,p+1)
   * @param b the array holding B
   * @param bOff index of B(0,0)
   * @param bRowStride distance between B(p,j) and B(p+1,j)
   * @param bColStride distance between B(p,j) and B(p,j+1)
   * @param c the array holding C, accumulated into
   * @param cOff index of C(0,0)
   * @param ldc distance between C(i,j) and C(i+1,j); C(i,j) and C(i,j+1) are adjacent
   * @param m rows of C
   * @param k the reduction length
   * @param n columns of C
   */
  static void product(float[] a, int aOff, int aRowStride, int aColStride, float[] b, int bOff, int bRowStride,
      int bColStride, float[] c, int cOff, int ldc, int m, int k, int n) {
    try (Scratches scratches = Scratches.take(1)) {
      product(a, aOff, aRowStride, aColStride, b, bOff, bRowStride, bColStride, c, cOff, ldc, m, k, n,
          scratches.block(0));
    }
  }

  /** {@link #product} with the given scratch. */
  static void product(float[] a, int aOff, int aRowStride, int aColStride, float[] b, int bOff, int bRowStride,
      int bColStride, float[] c, int cOff, int ldc, int m, int k, int n, Scratch scratch) {
    for (int j0 = 0; j0 < n; j0 += N_BLOCK) {
      int cols = Math.min(N_BLOCK, n - j0);
      for (int p0 = 0; p0 < k; p0 += K_BLOCK) {
        int pLen = Math.min(K_BLOCK, k - p0);
        packB(b, bOff + p0 * bRowStride + j0 * bColStride, bRowStride, bColStride, pLen, cols, scratch.b, 0, pLen);
        // panel q of this block starts at q·pLen·NR
        blockTimesPanels(a, aOff + p0 * aColStride, aRowStride, aColStride, scratch.b, 0, pLen * TILE_COLS, c,
            cOff + j0, ldc, m, pLen, cols, scratch);
      }
    }
  }

  /**
   * Packs B for {@link #productPacked}, where {@code B(p, j) = b[j·k + p]} (the layout of
   * {@link #matmulTransBSimd}, a weight stored as rows): all k rows of each NR-wide panel, one after
   * another, zero beyond column n.
   *
   * @param b B's rows, n×k
   * @param k the reduction length
   * @param n columns of C (rows of b)
   * @param packed the destination, at least {@link #packedSize}{@code (k, n)} floats
   */
  static void packTransB(float[] b, int k, int n, float[] packed) {
    packB(b, 0, 1, k, k, n, packed, 0, k);
  }

  /**
   * Packs B for {@link #productPacked} where {@code B(p, j) = b[p·n + j]} (row-major, the layout
   * of {@link #matmulSimd}), the same panels as {@link #packTransB}.
   *
   * @param b B, k×n, row-major
   * @param k the reduction length
   * @param n columns of C
   * @param packed the destination, at least {@link #packedSize}{@code (k, n)} floats
   */
  static void packRowMajorB(float[] b, int k, int n, float[] packed) {
    packB(b, 0, n, 1, k, n, packed, 0, k);
  }

  /** {@return the floats {@link #packTransB} writes for a k×n B: whole panels of k rows} */
  static int packedSize(int k, int n) {
    return (n + TILE_COLS - 1) / TILE_COLS * TILE_COLS * k;
  }

  /**
   * Columns {@code [j0, j1)} of {@code C[m,n] += A[m,k] · B}, with B packed once by
   * {@link #packTransB} or {@link #packRowMajorB}; j0 is a multiple of NR. The result is bitwise
   * that of the product packing the same B on the fly.
   *
   * @param a A, m×k, rows contiguous
   * @param packed B as {@link #packTransB} left it
   * @param c C, m×n, accumulated into
   * @param m rows of A and C
   * @param k the reduction length
   * @param n columns of C
   * @param j0 the first column to compute, a multiple of NR
   * @param j1 one past the last column to compute
   */
  static void productPacked(float[] a, float[] packed, float[] c, int m, int k, int n, int j0, int j1) {
    try (Scratches scratches = Scratches.take(1)) {
      productPacked(a, packed, c, m, k, n, j0, j1, scratches.block(0));
    }
  }

  /** {@link #productPacked} with the given scratch. */
  static void productPacked(float[] a, float[] packed, float[] c, int m, int k, int n, int j0, int j1,
      Scratch scratch) {
    for (int p0 = 0; p0 < k; p0 += K_BLOCK) {
      int pLen = Math.min(K_BLOCK, k - p0);
      // panel q holds all k rows: its row p0 is at (q·k + p0)·NR
      blockTimesPanels(a, p0, k, 1, packed, (j0 / TILE_COLS * k + p0) * TILE_COLS, k * TILE_COLS, c, j0, n, m,
          pLen, j1 - j0, scratch);
    }
  }

  /**
   * {@code C(i, j) += Σ_{p < pLen} A(i, p) · B(p, j)} for a block of p, with B already in panels:
   * panel q's row p at {@code pb[pbOff + q·panelStride + p·NR]}. Rows of A in blocks of
   * {@link #M_BLOCK}, so that a block stays in L2 while every panel passes over it; the tile reads
   * A through its strides, except that the rows of a last sliver shorter than MR are copied with
   * zeros below them ({@link #packA}).
   */
  private static void blockTimesPanels(float[] a, int aOff, int aRowStride, int aColStride, float[] pb, int pbOff,
      int panelStride, float[] c, int cOff, int ldc, int m, int pLen, int n, Scratch scratch) {
    // Aᵀ (A's rows adjacent, its columns a stride apart): read in place, each p would be a new
    // cache line (4 KB apart at m = 1024, all in one L1 set); copy each block into slivers instead
    boolean packAll = aColStride != 1;
    for (int i0 = 0; i0 < m; i0 += M_BLOCK) {
      int rows = Math.min(M_BLOCK, m - i0);
      if (packAll) {
        packBlockA(a, aOff + i0 * aRowStride, aRowStride, aColStride, rows, pLen, scratch.aBlock);
      }
      for (int j = 0, q = 0; j < n; j += TILE_COLS, q++) {
        int cols = Math.min(TILE_COLS, n - j);
        int bi = pbOff + q * panelStride;
        for (int t = i0, h; t < i0 + rows; t += h) {
          h = tileHeight(i0 + rows - t);
          int ci = cOff + t * ldc + j;
          int tileRows = Math.min(h, i0 + rows - t);
          // this tile's A: in place, its sliver of the block's copy, or a copy of its few real rows
          float[] ta = a;
          int tai = aOff + t * aRowStride;
          int taRow = aRowStride;
          int taCol = aColStride;
          if (packAll) {
            ta = scratch.aBlock;
            tai = (t - i0) * pLen;
            taRow = 1;
            taCol = h;
          } else if (tileRows < h) {
            packA(a, tai, aRowStride, aColStride, tileRows, h, pLen, scratch.a);
            ta = scratch.a;
            tai = 0;
            taRow = 1;
            taCol = h;
          }
          if (tileRows == h && cols == TILE_COLS) {
            tile(h, ta, tai, taRow, taCol, pb, bi, c, ci, ldc, pLen);
            continue;
          }
          // an edge: run the tile on a copy of C's real rows and columns, zero elsewhere
          Arrays.fill(scratch.c, 0f);
          for (int r = 0; r < tileRows; r++) {
            System.arraycopy(c, ci + r * ldc, scratch.c, r * TILE_COLS, cols);
          }
          tile(h, ta, tai, taRow, taCol, pb, bi, scratch.c, 0, TILE_COLS, pLen);
          for (int r = 0; r < tileRows; r++) {
            System.arraycopy(scratch.c, r * TILE_COLS, c, ci + r * ldc, cols);
          }
        }
      }
    }
  }

  /**
   * The height of the tile that starts with {@code left} rows of the block still to do: MR, or
   * {@link #SHORT_ROWS} where that wastes fewer rows (7 and 8 rows left go 4 + 4, 4 or fewer in one
   * short tile); a tile taller than the rows left is an edge.
   */
  static int tileHeight(int left) {
    return left == 5 || left >= TILE_ROWS && left != 7 && left != 8 ? TILE_ROWS : SHORT_ROWS;
  }

  /** Runs the MR-row or the short tile, by height h. */
  private static void tile(int h, float[] a, int ai, int aRowStride, int aColStride, float[] pb, int bi, float[] c,
      int ci, int ldc, int pLen) {
    if (h == TILE_ROWS) {
      tile(a, ai, aRowStride, aColStride, pb, bi, c, ci, ldc, pLen);
    } else {
      shortTile(a, ai, aRowStride, aColStride, pb, bi, c, ci, ldc, pLen);
    }
  }

  /**
   * Copies rows [0, rows) × columns [0, pLen) of A, rows ≤ {@link #M_BLOCK}, into slivers as tall
   * as the tiles that will read them ({@link #tileHeight}): the sliver of the tile starting at row
   * i, h rows tall, holds A(i + r, p) at {@code packed[i·pLen + p·h + r]}, zero for rows at or
   * beyond {@code rows}. Made for a transposed A, whose rows are adjacent: each p's column is read
   * contiguously.
   */
  private static void packBlockA(float[] a, int ai, int rowStride, int colStride, int rows, int pLen,
      float[] packed) {
    // p outside: each p's column of the block is one contiguous run of A when rowStride is 1
    for (int p = 0; p < pLen; p++) {
      int src = ai + p * colStride;
      for (int i = 0, h; i < rows; i += h) {
        h = tileHeight(rows - i);
        int dst = i * pLen + p * h;
        int real = Math.min(h, rows - i);
        for (int r = 0; r < real; r++) {
          packed[dst + r] = a[src + (i + r) * rowStride];
        }
        for (int r = real; r < h; r++) {
          packed[dst + r] = 0f;
        }
      }
    }
  }

  /**
   * Copies the {@code rows} (fewer than h) rows of A of an edge tile, columns [0, pLen), into one
   * sliver h rows tall: A(r, p) at {@code packed[p·h + r]}, zero for rows at or beyond {@code rows}.
   */
  private static void packA(float[] a, int ai, int rowStride, int colStride, int rows, int h, int pLen,
      float[] packed) {
    for (int p = 0, dst = 0; p < pLen; p++, dst += h) {
      int src = ai + p * colStride;
      for (int r = 0; r < rows; r++) {
        packed[dst + r] = a[src + r * rowStride];
      }
      for (int r = rows; r < h; r++) {
        packed[dst + r] = 0f;
      }
    }
  }

  /**
   * Copies rows [0, pLen) × columns [0, cols) of B into panels of NR columns: panel q's value
   * B(p, q·NR + j) at {@code packed[pOff + q·panelRows·NR + p·NR + j]}, zero for columns at or
   * beyond {@code cols}. A row-major B is copied a row at a time; a transposed one (columns
   * contiguous) a column at a time, so the reads are contiguous either way.
   */
  private static void packB(float[] b, int bi, int rowStride, int colStride, int pLen, int cols, float[] packed,
      int pOff, int panelRows) {
    for (int j0 = 0, q = 0; j0 < cols; j0 += TILE_COLS, q++) {
      int real = Math.min(TILE_COLS, cols - j0);
      int panel = pOff + q * panelRows * TILE_COLS;
      if (colStride == 1) {
        for (int p = 0; p < pLen; p++) {
          System.arraycopy(b, bi + p * rowStride + j0, packed, panel + p * TILE_COLS, real);
        }
      } else {
        for (int j = 0; j < real; j++) {
          int src = bi + (j0 + j) * colStride;
          for (int p = 0; p < pLen; p++) {
            packed[panel + p * TILE_COLS + j] = b[src + p * rowStride];
          }
        }
      }
      if (real < TILE_COLS) {
        for (int p = 0; p < pLen; p++) {
          Arrays.fill(packed, panel + p * TILE_COLS + real, panel + (p + 1) * TILE_COLS, 0f);
        }
      }
    }
  }

  /**
   * The register tile: {@code C[0..MR, 0..NR) ← fma(A(r, p), B(p, ·), C)} for p in [0, pLen), with
   * A(r, p) at {@code a[ai + r·aRowStride + p·aColStride]} and B's panel row p at
   * {@code pb[bi + p·NR]}. The twelve accumulators stay in registers for the whole loop.
   */
  private static void tile(float[] a, int ai, int aRowStride, int aColStride, float[] pb, int bi, float[] c, int ci,
      int ldc, int pLen) {
    int row1 = aRowStride;
    int row2 = 2 * aRowStride;
    int row3 = 3 * aRowStride;
    int row4 = 4 * aRowStride;
    int row5 = 5 * aRowStride;
    FloatVector c00 = FloatVector.fromArray(SPECIES, c, ci);
    FloatVector c01 = FloatVector.fromArray(SPECIES, c, ci + LANES);
    FloatVector c10 = FloatVector.fromArray(SPECIES, c, ci + ldc);
    FloatVector c11 = FloatVector.fromArray(SPECIES, c, ci + ldc + LANES);
    FloatVector c20 = FloatVector.fromArray(SPECIES, c, ci + 2 * ldc);
    FloatVector c21 = FloatVector.fromArray(SPECIES, c, ci + 2 * ldc + LANES);
    FloatVector c30 = FloatVector.fromArray(SPECIES, c, ci + 3 * ldc);
    FloatVector c31 = FloatVector.fromArray(SPECIES, c, ci + 3 * ldc + LANES);
    FloatVector c40 = FloatVector.fromArray(SPECIES, c, ci + 4 * ldc);
    FloatVector c41 = FloatVector.fromArray(SPECIES, c, ci + 4 * ldc + LANES);
    FloatVector c50 = FloatVector.fromArray(SPECIES, c, ci + 5 * ldc);
    FloatVector c51 = FloatVector.fromArray(SPECIES, c, ci + 5 * ldc + LANES);
    for (int p = 0; p < pLen; p++) {
      int ap = ai + p * aColStride;
      int bp = bi + p * TILE_COLS;
      FloatVector b0 = FloatVector.fromArray(SPECIES, pb, bp);
      FloatVector b1 = FloatVector.fromArray(SPECIES, pb, bp + LANES);
      // C(r, ·) ← fma(A(r, p), B(p, ·), C(r, ·)) for the six rows r
      FloatVector a0 = FloatVector.broadcast(SPECIES, a[ap]);
      c00 = a0.fma(b0, c00);
      c01 = a0.fma(b1, c01);
      FloatVector a1 = FloatVector.broadcast(SPECIES, a[ap + row1]);
      c10 = a1.fma(b0, c10);
      c11 = a1.fma(b1, c11);
      FloatVector a2 = FloatVector.broadcast(SPECIES, a[ap + row2]);
      c20 = a2.fma(b0, c20);
      c21 = a2.fma(b1, c21);
      FloatVector a3 = FloatVector.broadcast(SPECIES, a[ap + row3]);
      c30 = a3.fma(b0, c30);
      c31 = a3.fma(b1, c31);
      FloatVector a4 = FloatVector.broadcast(SPECIES, a[ap + row4]);
      c40 = a4.fma(b0, c40);
      c41 = a4.fma(b1, c41);
      FloatVector a5 = FloatVector.broadcast(SPECIES, a[ap + row5]);
      c50 = a5.fma(b0, c50);
      c51 = a5.fma(b1, c51);
    }
    c00.intoArray(c, ci);
    c01.intoArray(c, ci + LANES);
    c10.intoArray(c, ci + ldc);
    c11.intoArray(c, ci + ldc + LANES);
    c20.intoArray(c, ci + 2 * ldc);
    c21.intoArray(c, ci + 2 * ldc + LANES);
    c30.intoArray(c, ci + 3 * ldc);
    c31.intoArray(c, ci + 3 * ldc + LANES);
    c40.intoArray(c, ci + 4 * ldc);
    c41.intoArray(c, ci + 4 * ldc + LANES);
    c50.intoArray(c, ci + 5 * ldc);
    c51.intoArray(c, ci + 5 * ldc + LANES);
  }

  /**
   * The short register tile, {@link #SHORT_ROWS} rows: identical to {@link #tile} except for the
   * number of rows (eight accumulators).
   */
  private static void shortTile(float[] a, int ai, int aRowStride, int aColStride, float[] pb, int bi, float[] c,
      int ci, int ldc, int pLen) {
    int row1 = aRowStride;
    int row2 = 2 * aRowStride;
    int row3 = 3 * aRowStride;
    FloatVector c00 = FloatVector.fromArray(SPECIES, c, ci);
    FloatVector c01 = FloatVector.fromArray(SPECIES, c, ci + LANES);
    FloatVector c10 = FloatVector.fromArray(SPECIES, c, ci + ldc);
    FloatVector c11 = FloatVector.fromArray(SPECIES, c, ci + ldc + LANES);
    FloatVector c20 = FloatVector.fromArray(SPECIES, c, ci + 2 * ldc);
    FloatVector c21 = FloatVector.fromArray(SPECIES, c, ci + 2 * ldc + LANES);
    FloatVector c30 = FloatVector.fromArray(SPECIES, c, ci + 3 * ldc);
    FloatVector c31 = FloatVector.fromArray(SPECIES, c, ci + 3 * ldc + LANES);
    for (int p = 0; p < pLen; p++) {
      int ap = ai + p * aColStride;
      int bp = bi + p * TILE_COLS;
      FloatVector b0 = FloatVector.fromArray(SPECIES, pb, bp);
      FloatVector b1 = FloatVector.fromArray(SPECIES, pb, bp + LANES);
      // C(r, ·) ← fma(A(r, p), B(p, ·), C(r, ·)) for the four rows r
      FloatVector a0 = FloatVector.broadcast(SPECIES, a[ap]);
      c00 = a0.fma(b0, c00);
      c01 = a0.fma(b1, c01);
      FloatVector a1 = FloatVector.broadcast(SPECIES, a[ap + row1]);
      c10 = a1.fma(b0, c10);
      c11 = a1.fma(b1, c11);
      FloatVector a2 = FloatVector.broadcast(SPECIES, a[ap + row2]);
      c20 = a2.fma(b0, c20);
      c21 = a2.fma(b1, c21);
      FloatVector a3 = FloatVector.broadcast(SPECIES, a[ap + row3]);
      c30 = a3.fma(b0, c30);
      c31 = a3.fma(b1, c31);
    }
    c00.intoArray(c, ci);
    c01.intoArray(c, ci + LANES);
    c10.intoArray(c, ci + ldc);
    c11.intoArray(c, ci + ldc + LANES);
    c20.intoArray(c, ci + 2 * ldc);
    c21.intoArray(c, ci + 2 * ldc + LANES);
    c30.intoArray(c, ci + 3 * ldc);
    c31.intoArray(c, ci + 3 * ldc + LANES);
  }
}
