package dev.tapegrad.kernel;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API matrix products, one per reference in {@link MatMulKernels}, single-threaded.
 * {@link MatMulParallel} runs the same tile loops on blocks of the output.
 *
 * <p>This class touches {@code jdk.incubator.vector}; {@link Kernels} reaches it only after
 * checking that the module is in the boot layer, so the scalar path never loads it.
 *
 * <p>Two tile loops cover the three products. Legend: m, k, n as in {@link MatMulKernels};
 * L = {@link #LANES} floats per vector (8 with AVX2); p runs over the reduction.
 *
 * <ul>
 *   <li><b>Broadcast tiles</b> ({@code C += A·B} and {@code C += Aᵀ·B}, where a row of B is
 *       contiguous along n). A 6×2L block of C is held in twelve vector registers; for each p
 *       the two vectors {@code B[p, j..j+2L)} are loaded and each of the six {@code A[i, p]} is
 *       broadcast: {@code C[i, j..] ← fma(A[i,p], B[p, j..], C[i, j..])}. Every element of C
 *       is therefore the reference's own sequence {@code c ← c + A[i,p]·B[p,j]} for p = 0, 1,
 *       …, k−1, except that each step is one fused multiply-add (one rounding instead of
 *       two). The last {@code n mod 2L} columns run through the same tile with B zero-padded;
 *       the last {@code m mod 6} rows use one-row tiles (8L, then L columns, then scalar
 *       {@link Math#fma}, which rounds like a lane). All do exactly the same per element, so the
 *       result does not depend on how C is tiled or split.
 *   <li><b>Dot tiles</b> ({@code C += A·Bᵀ}, both operands contiguous along k). A 3×4 block of
 *       outputs keeps one vector accumulator each (twelve in all); per L-wide step of p it loads
 *       three rows of A and four rows of B and does twelve FMAs. After the loop each accumulator
 *       is summed once, in lane order ({@link #sumLanes}), the scalar tail
 *       {@code p ∈ [loopBound(k), k)} is added in order, and the sum is added to C. The 3×1, 1×4 and 1×1 edge tiles compute
 *       every output the same way, so again the result does not depend on the tiling.
 * </ul>
 *
 * <p>Cache blocking and packing: broadcast tiles walk p in equal blocks of at most
 * {@link #K_BLOCK} (C is reloaded per block, which keeps the per-element order) and rows in
 * blocks of {@link #M_BLOCK}. Each M_BLOCK×K_BLOCK block of A is copied once into tile order
 * (about 96 KB, stays in L2) and each K_BLOCK×2L panel of B into a contiguous buffer (16 KB with
 * L = 8, stays in L1), so the tile reads both with constant strides; without the copy, rows of B
 * 512 or 1024 floats apart fall into the same cache sets and the kernel ran 1.3 to 1.8 times
 * slower here (best-of timings, n = 512 and 1024). The copies are allocated per call (about
 * 0.1 MB). Dot tiles walk B in blocks of rows
 * that fit {@link #B_BLOCK_FLOATS}, so they stay in L2 while every tile row of A passes.
 *
 * <p>Arrays must not alias: {@code c} is neither {@code a} nor {@code b}.
 */
public final class MatMulSimd {

  /** The widest float vector the CPU supports well; a constant so that C2 can intrinsify it. */
  static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

  /** Floats per vector: L. */
  static final int LANES = SPECIES.length();

  /** Rows of C per broadcast tile. */
  static final int BROADCAST_ROWS = 6;

  /** Columns of C per broadcast tile: two vectors. */
  static final int BROADCAST_COLS = 2 * LANES;

  /** Rows of C (rows of A) per dot tile. */
  static final int DOT_ROWS = 3;

  /** Columns of C (rows of B) per dot tile. */
  static final int DOT_COLS = 4;

  /** Reduction steps per block in broadcast tiles: a 256×2L panel of B is 16 KB with L = 8. */
  static final int K_BLOCK = 256;

  /** Rows of A per block in broadcast tiles, a multiple of {@link #BROADCAST_ROWS}. */
  static final int M_BLOCK = 96;

  /** Floats of B (rows × k) per block in dot tiles: 128 KB, a quarter of a typical L2. */
  static final int B_BLOCK_FLOATS = 1 << 15;

  private MatMulSimd() {}

  /**
   * {@code C[m,n] += A[m,k] · B[k,n]}; identical to {@link MatMulKernels#matmulReference} except
   * that each {@code c += a·b} step is a fused multiply-add, done L columns at a time in
   * 6×2L register tiles (see the class comment).
   *
   * @param a A, m×k
   * @param b B, k×n
   * @param c C, m×n, accumulated into
   * @param m rows of A and C
   * @param k columns of A, rows of B
   * @param n columns of B and C
   */
  public static void matmulSimd(float[] a, float[] b, float[] c, int m, int k, int n) {
    // A(i, p) = a[i·k + p]
    broadcastTiles(a, 0, k, 1, b, 0, n, c, 0, n, m, k, n);
  }

  /**
   * {@code C[m,n] += A[k,m]ᵀ · B[k,n]}; identical to {@link MatMulKernels#matmulTransAReference}
   * except that each {@code c += a·b} step is a fused multiply-add, done L columns at a time in
   * 6×2L register tiles. Per element the order over p is the reference's (p ascending).
   *
   * @param a A, k×m
   * @param b B, k×n
   * @param c C, m×n, accumulated into
   * @param m columns of A, rows of C
   * @param k rows of A and B (the reduction)
   * @param n columns of B and C
   */
  public static void matmulTransASimd(float[] a, float[] b, float[] c, int m, int k, int n) {
    // A(i, p) = a[p·m + i]: the transpose is just a different pair of strides
    broadcastTiles(a, 0, 1, m, b, 0, n, c, 0, n, m, k, n);
  }

  /**
   * {@code C[m,n] += A[m,k] · B[n,k]ᵀ}; identical to {@link MatMulKernels#matmulTransBReference}
   * except that each dot product is summed in L lanes with fused multiply-adds, the lanes are
   * added once at the end and the last {@code k mod L} products are added after them, in 3×4
   * register tiles (see the class comment).
   *
   * @param a A, m×k
   * @param b B, n×k
   * @param c C, m×n, accumulated into
   * @param m rows of A and C
   * @param k shared (reduction) length
   * @param n rows of B, columns of C
   */
  public static void matmulTransBSimd(float[] a, float[] b, float[] c, int m, int k, int n) {
    dotTiles(a, 0, b, 0, c, 0, n, m, k, n);
  }

  /**
   * {@code C(i,j) += Σ_p A(i,p) · B(p,j)} for i &lt; m, j &lt; n, on strided views:
   * {@code A(i,p) = a[aOff + i·aRowStride + p·aColStride]}, {@code B(p,j) = b[bOff + p·ldb + j]},
   * {@code C(i,j) = c[cOff + i·ldc + j]}. Every C(i,j) is updated as
   * {@code c ← fma(A(i,p), B(p,j), c)} for p = 0, …, k−1 in order, whatever the tile.
   *
   * @param a the array holding A
   * @param aOff index of A(0,0)
   * @param aRowStride distance between A(i,p) and A(i+1,p)
   * @param aColStride distance between A(i,p) and A(i,p+1)
   * @param b the array holding B
   * @param bOff index of B(0,0)
   * @param ldb distance between B(p,j) and B(p+1,j); B(p,j) and B(p,j+1) are adjacent
   * @param c the array holding C, accumulated into
   * @param cOff index of C(0,0)
   * @param ldc distance between C(i,j) and C(i+1,j); C(i,j) and C(i,j+1) are adjacent
   * @param m rows of C
   * @param k the reduction length
   * @param n columns of C
   */
  static void broadcastTiles(float[] a, int aOff, int aRowStride, int aColStride, float[] b, int bOff, int ldb,
      float[] c, int cOff, int ldc, int m, int k, int n) {
    // rows covered by full 6-row tiles; columns covered by full 2L panels; the rest of a row
    int mTiles = m - m % BROADCAST_ROWS;
    int nPanels = n - n % BROADCAST_COLS;
    int tailCols = n - nPanels;
    // blocks of p of equal length (at most K_BLOCK), so that no block is a sliver that costs a
    // full pass over C for a few steps
    int kBlocks = Math.max(1, (k + K_BLOCK - 1) / K_BLOCK);
    int kBlock = (k + kBlocks - 1) / kBlocks;
    // packing buffers: a block of A in tile order and a panel of B, both contiguous, so the tile
    // reads them with constant strides (and without cache-set conflicts when a row of B is a
    // power of two long); a 6×2L tile of C for the last, narrower panel
    float[] packedA = null;
    float[] packedB = null;
    float[] cTail = null;
    if (mTiles > 0) {
      packedA = new float[Math.min(M_BLOCK, mTiles) * kBlock];
      packedB = new float[kBlock * BROADCAST_COLS];
      cTail = new float[BROADCAST_ROWS * BROADCAST_COLS];
    }
    for (int p0 = 0; p0 < k; p0 += kBlock) {
      int pLen = Math.min(kBlock, k - p0);
      for (int i0 = 0; i0 < mTiles; i0 += M_BLOCK) {
        int rows = Math.min(mTiles, i0 + M_BLOCK) - i0;
        // A[i0..i0+rows, p0..p0+pLen) stays in L2 while every panel of B passes
        packA(a, aOff + i0 * aRowStride + p0 * aColStride, aRowStride, aColStride, packedA, rows, pLen);
        for (int j = 0; j < nPanels; j += BROADCAST_COLS) {
          // B[p0..p0+pLen, j..j+2L) stays in L1 while the tiles move down
          packB(b, bOff + p0 * ldb + j, ldb, packedB, pLen, BROADCAST_COLS);
          for (int t = 0; t < rows; t += BROADCAST_ROWS) {
            tile6x2(packedA, t * pLen, packedB, c, cOff + (i0 + t) * ldc + j, ldc, pLen);
          }
        }
        if (tailCols > 0) {
          // the last n mod 2L columns: B zero-padded to a full panel, C through a 6×2L copy;
          // padded lanes compute fma(A, 0, 0) and are never written back
          packB(b, bOff + p0 * ldb + nPanels, ldb, packedB, pLen, tailCols);
          for (int t = 0; t < rows; t += BROADCAST_ROWS) {
            int ci = cOff + (i0 + t) * ldc + nPanels;
            for (int r = 0; r < BROADCAST_ROWS; r++) {
              System.arraycopy(c, ci + r * ldc, cTail, r * BROADCAST_COLS, tailCols);
            }
            tile6x2(packedA, t * pLen, packedB, cTail, 0, BROADCAST_COLS, pLen);
            for (int r = 0; r < BROADCAST_ROWS; r++) {
              System.arraycopy(cTail, r * BROADCAST_COLS, c, ci + r * ldc, tailCols);
            }
          }
        }
      }
      // the last m mod 6 rows, one at a time across all columns, reading B in place
      for (int i = mTiles; i < m; i++) {
        rowTiles(a, aOff + i * aRowStride + p0 * aColStride, aColStride, b, bOff + p0 * ldb, ldb, c, cOff + i * ldc,
            n, pLen);
      }
    }
  }

  /**
   * Copies A(r, p) for r &lt; rows, p &lt; pLen into {@code packed} in tile order: tile t (rows
   * t..t+6, t a multiple of 6) from {@code t·pLen}, then p, then the row within the tile.
   */
  private static void packA(float[] a, int ai, int ars, int acs, float[] packed, int rows, int pLen) {
    if (acs == 1) {
      // rows of A are contiguous along p (C += A·B): read each tile's six rows front to back
      for (int t = 0; t < rows; t += BROADCAST_ROWS) {
        int dst = t * pLen;
        for (int p = 0; p < pLen; p++) {
          int src = ai + t * ars + p;
          for (int r = 0; r < BROADCAST_ROWS; r++) {
            packed[dst++] = a[src + r * ars];
          }
        }
      }
    } else {
      // A is stored transposed (C += Aᵀ·B): read each stored row p once, across all tiles
      for (int p = 0; p < pLen; p++) {
        int src = ai + p * acs;
        for (int t = 0; t < rows; t += BROADCAST_ROWS) {
          int dst = t * pLen + p * BROADCAST_ROWS;
          for (int r = 0; r < BROADCAST_ROWS; r++) {
            packed[dst + r] = a[src + (t + r) * ars];
          }
        }
      }
    }
  }

  /**
   * Copies B(p, j..j+cols) for p &lt; pLen, from index {@code bi}, into rows of 2L in
   * {@code packed}, with zeros after the first {@code cols} of each row.
   */
  private static void packB(float[] b, int bi, int ldb, float[] packed, int pLen, int cols) {
    for (int p = 0; p < pLen; p++) {
      int dst = p * BROADCAST_COLS;
      System.arraycopy(b, bi + p * ldb, packed, dst, cols);
      Arrays.fill(packed, dst + cols, dst + BROADCAST_COLS, 0f);
    }
  }

  /**
   * C[i..i+6, j..j+2L) ← fma over pLen steps, from packed operands: A(i+r, p) at
   * {@code pa[ai + 6p + r]}, B(p, j+v) at {@code pb[2L·p + v]}; ci is the index of C(i,j).
   */
  private static void tile6x2(float[] pa, int ai, float[] pb, float[] c, int ci, int ldc, int pLen) {
    // twelve accumulators start from C, so blocks over p continue C's own running sum
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
      int ap = ai + p * BROADCAST_ROWS;
      int bp = p * BROADCAST_COLS;
      // B[p, j..j+L) and B[p, j+L..j+2L)
      FloatVector b0 = FloatVector.fromArray(SPECIES, pb, bp);
      FloatVector b1 = FloatVector.fromArray(SPECIES, pb, bp + LANES);
      // C[i+r, :] ← fma(A[i+r, p], B[p, :], C[i+r, :]) for r = 0..5
      FloatVector a0 = FloatVector.broadcast(SPECIES, pa[ap]);
      c00 = a0.fma(b0, c00);
      c01 = a0.fma(b1, c01);
      FloatVector a1 = FloatVector.broadcast(SPECIES, pa[ap + 1]);
      c10 = a1.fma(b0, c10);
      c11 = a1.fma(b1, c11);
      FloatVector a2 = FloatVector.broadcast(SPECIES, pa[ap + 2]);
      c20 = a2.fma(b0, c20);
      c21 = a2.fma(b1, c21);
      FloatVector a3 = FloatVector.broadcast(SPECIES, pa[ap + 3]);
      c30 = a3.fma(b0, c30);
      c31 = a3.fma(b1, c31);
      FloatVector a4 = FloatVector.broadcast(SPECIES, pa[ap + 4]);
      c40 = a4.fma(b0, c40);
      c41 = a4.fma(b1, c41);
      FloatVector a5 = FloatVector.broadcast(SPECIES, pa[ap + 5]);
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
   * C[i, 0..n) ← fma over pLen steps for one row i, reading A and B in place: 8L columns at a
   * time (eight independent FMA chains), then L at a time, then one at a time with
   * {@link Math#fma}, which rounds exactly like a vector lane's fma. Arguments are the indices of
   * A(i, p0), B(p0, 0) and C(i, 0).
   */
  private static void rowTiles(float[] a, int ai, int acs, float[] b, int bi, int ldb, float[] c, int ci, int n,
      int pLen) {
    int j = 0;
    for (; j + 8 * LANES <= n; j += 8 * LANES) {
      row1x8(a, ai, acs, b, bi + j, ldb, c, ci + j, pLen);
    }
    for (; j + LANES <= n; j += LANES) {
      FloatVector c0 = FloatVector.fromArray(SPECIES, c, ci + j);
      for (int p = 0; p < pLen; p++) {
        // C[i, j..j+L) ← fma(A[i, p], B[p, j..j+L), C[i, j..j+L))
        FloatVector bv = FloatVector.fromArray(SPECIES, b, bi + p * ldb + j);
        c0 = FloatVector.broadcast(SPECIES, a[ai + p * acs]).fma(bv, c0);
      }
      c0.intoArray(c, ci + j);
    }
    for (; j < n; j++) {
      float sum = c[ci + j];
      for (int p = 0; p < pLen; p++) {
        // C[i, j] ← fma(A[i, p], B[p, j], C[i, j])
        sum = Math.fma(a[ai + p * acs], b[bi + p * ldb + j], sum);
      }
      c[ci + j] = sum;
    }
  }

  /** C[i, j..j+8L) ← fma over pLen steps: one row of A, eight accumulators. */
  private static void row1x8(float[] a, int ai, int acs, float[] b, int bi, int ldb, float[] c, int ci, int pLen) {
    FloatVector c0 = FloatVector.fromArray(SPECIES, c, ci);
    FloatVector c1 = FloatVector.fromArray(SPECIES, c, ci + LANES);
    FloatVector c2 = FloatVector.fromArray(SPECIES, c, ci + 2 * LANES);
    FloatVector c3 = FloatVector.fromArray(SPECIES, c, ci + 3 * LANES);
    FloatVector c4 = FloatVector.fromArray(SPECIES, c, ci + 4 * LANES);
    FloatVector c5 = FloatVector.fromArray(SPECIES, c, ci + 5 * LANES);
    FloatVector c6 = FloatVector.fromArray(SPECIES, c, ci + 6 * LANES);
    FloatVector c7 = FloatVector.fromArray(SPECIES, c, ci + 7 * LANES);
    for (int p = 0; p < pLen; p++) {
      int bp = bi + p * ldb;
      // C[i, :] ← fma(A[i, p], B[p, :], C[i, :])
      FloatVector av = FloatVector.broadcast(SPECIES, a[ai + p * acs]);
      c0 = av.fma(FloatVector.fromArray(SPECIES, b, bp), c0);
      c1 = av.fma(FloatVector.fromArray(SPECIES, b, bp + LANES), c1);
      c2 = av.fma(FloatVector.fromArray(SPECIES, b, bp + 2 * LANES), c2);
      c3 = av.fma(FloatVector.fromArray(SPECIES, b, bp + 3 * LANES), c3);
      c4 = av.fma(FloatVector.fromArray(SPECIES, b, bp + 4 * LANES), c4);
      c5 = av.fma(FloatVector.fromArray(SPECIES, b, bp + 5 * LANES), c5);
      c6 = av.fma(FloatVector.fromArray(SPECIES, b, bp + 6 * LANES), c6);
      c7 = av.fma(FloatVector.fromArray(SPECIES, b, bp + 7 * LANES), c7);
    }
    c0.intoArray(c, ci);
    c1.intoArray(c, ci + LANES);
    c2.intoArray(c, ci + 2 * LANES);
    c3.intoArray(c, ci + 3 * LANES);
    c4.intoArray(c, ci + 4 * LANES);
    c5.intoArray(c, ci + 5 * LANES);
    c6.intoArray(c, ci + 6 * LANES);
    c7.intoArray(c, ci + 7 * LANES);
  }

  /**
   * Returns the sum of the lanes of {@code v}, added in lane order: {@code ((v0 + v1) + v2) + …}.
   *
   * <p>Why not {@code v.reduceLanes(VectorOperators.ADD)}: its order is unspecified for floats,
   * and on JDK 25 C2-compiled code was measured to add in another order than the interpreter
   * (JDK 17 happened to agree), so a product's last bits depended on whether the JIT had
   * compiled the kernel yet, and parallel results on how blocks met the compiler. Spilling the
   * lanes and adding them in scalar code fixes the order everywhere; it costs about as much as
   * {@code reduceLanes} for long reductions and up to a third more when k is below about 100.
   *
   * @param v the vector
   * @param scratch at least L floats, overwritten
   * @return v0 + v1 + … + v(L−1), in that order
   */
  static float sumLanes(FloatVector v, float[] scratch) {
    v.intoArray(scratch, 0);
    float sum = scratch[0];
    for (int i = 1; i < LANES; i++) {
      sum += scratch[i];
    }
    return sum;
  }

  /**
   * {@code C(i,j) += Σ_p A(i,p) · B(j,p)} for i &lt; m, j &lt; n, where rows of A and B are
   * contiguous along p: {@code A(i,p) = a[aOff + i·k + p]}, {@code B(j,p) = b[bOff + j·k + p]},
   * {@code C(i,j) = c[cOff + i·ldc + j]}. Every output is computed the same way whatever the
   * tile: one L-lane accumulator of FMAs over {@code p < loopBound(k)}, one {@link #sumLanes},
   * then the scalar tail in order, then one addition to C.
   *
   * @param a the array holding A
   * @param aOff index of A(0,0)
   * @param b the array holding B
   * @param bOff index of B(0,0)
   * @param c the array holding C, accumulated into
   * @param cOff index of C(0,0)
   * @param ldc distance between C(i,j) and C(i+1,j)
   * @param m rows of A and C
   * @param k the reduction length, also the row length of A and B
   * @param n rows of B, columns of C
   */
  static void dotTiles(float[] a, int aOff, float[] b, int bOff, float[] c, int cOff, int ldc, int m, int k,
      int n) {
    int kBound = SPECIES.loopBound(k);
    // where sumLanes spills an accumulator's lanes
    float[] scratch = new float[LANES];
    // rows of B per block: as many 4-row tiles as fit in B_BLOCK_FLOATS, at least one
    int jBlock = Math.max(DOT_COLS, B_BLOCK_FLOATS / Math.max(k, 1) / DOT_COLS * DOT_COLS);
    int mTiles = m - m % DOT_ROWS;
    for (int j0 = 0; j0 < n; j0 += jBlock) {
      int j1 = Math.min(n, j0 + jBlock);
      int jTiles = j0 + (j1 - j0) / DOT_COLS * DOT_COLS;
      // rows in 3-row tiles: A's three rows stay in L1 while the block of B passes over them
      for (int i = 0; i < mTiles; i += DOT_ROWS) {
        int ai = aOff + i * k;
        int ci = cOff + i * ldc;
        for (int j = j0; j < jTiles; j += DOT_COLS) {
          tile3x4(a, ai, b, bOff + j * k, c, ci + j, ldc, k, kBound, scratch);
        }
        for (int j = jTiles; j < j1; j++) {
          tile3x1(a, ai, b, bOff + j * k, c, ci + j, ldc, k, kBound, scratch);
        }
      }
      // the last m mod 3 rows, one at a time
      for (int i = mTiles; i < m; i++) {
        int ai = aOff + i * k;
        int ci = cOff + i * ldc;
        for (int j = j0; j < jTiles; j += DOT_COLS) {
          tile1x4(a, ai, b, bOff + j * k, c, ci + j, k, kBound, scratch);
        }
        for (int j = jTiles; j < j1; j++) {
          tile1x1(a, ai, b, bOff + j * k, c, ci + j, k, kBound, scratch);
        }
      }
    }
  }

  /** C[i..i+3, j..j+4) += A[i..i+3, :] · B[j..j+4, :]ᵀ; ai, bj index A(i,0) and B(j,0). */
  private static void tile3x4(float[] a, int ai, float[] b, int bj, float[] c, int ci, int ldc, int k, int kBound,
      float[] scratch) {
    int a1 = ai + k;
    int a2 = ai + 2 * k;
    int b1 = bj + k;
    int b2 = bj + 2 * k;
    int b3 = bj + 3 * k;
    // acc[r][s] holds L partial sums of Σ_p A[i+r, p] B[j+s, p]
    FloatVector acc00 = FloatVector.zero(SPECIES);
    FloatVector acc01 = FloatVector.zero(SPECIES);
    FloatVector acc02 = FloatVector.zero(SPECIES);
    FloatVector acc03 = FloatVector.zero(SPECIES);
    FloatVector acc10 = FloatVector.zero(SPECIES);
    FloatVector acc11 = FloatVector.zero(SPECIES);
    FloatVector acc12 = FloatVector.zero(SPECIES);
    FloatVector acc13 = FloatVector.zero(SPECIES);
    FloatVector acc20 = FloatVector.zero(SPECIES);
    FloatVector acc21 = FloatVector.zero(SPECIES);
    FloatVector acc22 = FloatVector.zero(SPECIES);
    FloatVector acc23 = FloatVector.zero(SPECIES);
    for (int p = 0; p < kBound; p += LANES) {
      FloatVector x0 = FloatVector.fromArray(SPECIES, a, ai + p);
      FloatVector x1 = FloatVector.fromArray(SPECIES, a, a1 + p);
      FloatVector x2 = FloatVector.fromArray(SPECIES, a, a2 + p);
      // column s: acc[r][s] ← fma(A[i+r, p..p+L), B[j+s, p..p+L), acc[r][s])
      FloatVector y = FloatVector.fromArray(SPECIES, b, bj + p);
      acc00 = x0.fma(y, acc00);
      acc10 = x1.fma(y, acc10);
      acc20 = x2.fma(y, acc20);
      y = FloatVector.fromArray(SPECIES, b, b1 + p);
      acc01 = x0.fma(y, acc01);
      acc11 = x1.fma(y, acc11);
      acc21 = x2.fma(y, acc21);
      y = FloatVector.fromArray(SPECIES, b, b2 + p);
      acc02 = x0.fma(y, acc02);
      acc12 = x1.fma(y, acc12);
      acc22 = x2.fma(y, acc22);
      y = FloatVector.fromArray(SPECIES, b, b3 + p);
      acc03 = x0.fma(y, acc03);
      acc13 = x1.fma(y, acc13);
      acc23 = x2.fma(y, acc23);
    }
    // one lane sum per output
    float s00 = sumLanes(acc00, scratch);
    float s01 = sumLanes(acc01, scratch);
    float s02 = sumLanes(acc02, scratch);
    float s03 = sumLanes(acc03, scratch);
    float s10 = sumLanes(acc10, scratch);
    float s11 = sumLanes(acc11, scratch);
    float s12 = sumLanes(acc12, scratch);
    float s13 = sumLanes(acc13, scratch);
    float s20 = sumLanes(acc20, scratch);
    float s21 = sumLanes(acc21, scratch);
    float s22 = sumLanes(acc22, scratch);
    float s23 = sumLanes(acc23, scratch);
    // the last k mod L products, in order
    for (int p = kBound; p < k; p++) {
      float x0 = a[ai + p];
      float x1 = a[a1 + p];
      float x2 = a[a2 + p];
      float y0 = b[bj + p];
      float y1 = b[b1 + p];
      float y2 = b[b2 + p];
      float y3 = b[b3 + p];
      s00 += x0 * y0;
      s01 += x0 * y1;
      s02 += x0 * y2;
      s03 += x0 * y3;
      s10 += x1 * y0;
      s11 += x1 * y1;
      s12 += x1 * y2;
      s13 += x1 * y3;
      s20 += x2 * y0;
      s21 += x2 * y1;
      s22 += x2 * y2;
      s23 += x2 * y3;
    }
    c[ci] += s00;
    c[ci + 1] += s01;
    c[ci + 2] += s02;
    c[ci + 3] += s03;
    c[ci + ldc] += s10;
    c[ci + ldc + 1] += s11;
    c[ci + ldc + 2] += s12;
    c[ci + ldc + 3] += s13;
    c[ci + 2 * ldc] += s20;
    c[ci + 2 * ldc + 1] += s21;
    c[ci + 2 * ldc + 2] += s22;
    c[ci + 2 * ldc + 3] += s23;
  }

  /** C[i..i+3, j] += A[i..i+3, :] · B[j, :]ᵀ, computed per output exactly as in {@link #tile3x4}. */
  private static void tile3x1(float[] a, int ai, float[] b, int bj, float[] c, int ci, int ldc, int k, int kBound,
      float[] scratch) {
    int a1 = ai + k;
    int a2 = ai + 2 * k;
    FloatVector acc0 = FloatVector.zero(SPECIES);
    FloatVector acc1 = FloatVector.zero(SPECIES);
    FloatVector acc2 = FloatVector.zero(SPECIES);
    for (int p = 0; p < kBound; p += LANES) {
      // acc[r] ← fma(A[i+r, p..p+L), B[j, p..p+L), acc[r])
      FloatVector y = FloatVector.fromArray(SPECIES, b, bj + p);
      acc0 = FloatVector.fromArray(SPECIES, a, ai + p).fma(y, acc0);
      acc1 = FloatVector.fromArray(SPECIES, a, a1 + p).fma(y, acc1);
      acc2 = FloatVector.fromArray(SPECIES, a, a2 + p).fma(y, acc2);
    }
    float s0 = sumLanes(acc0, scratch);
    float s1 = sumLanes(acc1, scratch);
    float s2 = sumLanes(acc2, scratch);
    for (int p = kBound; p < k; p++) {
      float y = b[bj + p];
      s0 += a[ai + p] * y;
      s1 += a[a1 + p] * y;
      s2 += a[a2 + p] * y;
    }
    c[ci] += s0;
    c[ci + ldc] += s1;
    c[ci + 2 * ldc] += s2;
  }

  /** C[i, j..j+4) += A[i, :] · B[j..j+4, :]ᵀ, computed per output exactly as in {@link #tile3x4}. */
  private static void tile1x4(float[] a, int ai, float[] b, int bj, float[] c, int ci, int k, int kBound,
      float[] scratch) {
    int b1 = bj + k;
    int b2 = bj + 2 * k;
    int b3 = bj + 3 * k;
    FloatVector acc0 = FloatVector.zero(SPECIES);
    FloatVector acc1 = FloatVector.zero(SPECIES);
    FloatVector acc2 = FloatVector.zero(SPECIES);
    FloatVector acc3 = FloatVector.zero(SPECIES);
    for (int p = 0; p < kBound; p += LANES) {
      // acc[s] ← fma(A[i, p..p+L), B[j+s, p..p+L), acc[s])
      FloatVector x = FloatVector.fromArray(SPECIES, a, ai + p);
      acc0 = x.fma(FloatVector.fromArray(SPECIES, b, bj + p), acc0);
      acc1 = x.fma(FloatVector.fromArray(SPECIES, b, b1 + p), acc1);
      acc2 = x.fma(FloatVector.fromArray(SPECIES, b, b2 + p), acc2);
      acc3 = x.fma(FloatVector.fromArray(SPECIES, b, b3 + p), acc3);
    }
    float s0 = sumLanes(acc0, scratch);
    float s1 = sumLanes(acc1, scratch);
    float s2 = sumLanes(acc2, scratch);
    float s3 = sumLanes(acc3, scratch);
    for (int p = kBound; p < k; p++) {
      float x = a[ai + p];
      s0 += x * b[bj + p];
      s1 += x * b[b1 + p];
      s2 += x * b[b2 + p];
      s3 += x * b[b3 + p];
    }
    c[ci] += s0;
    c[ci + 1] += s1;
    c[ci + 2] += s2;
    c[ci + 3] += s3;
  }

  /** C[i, j] += A[i, :] · B[j, :], computed exactly as each output of {@link #tile3x4}. */
  private static void tile1x1(float[] a, int ai, float[] b, int bj, float[] c, int ci, int k, int kBound,
      float[] scratch) {
    FloatVector acc = FloatVector.zero(SPECIES);
    for (int p = 0; p < kBound; p += LANES) {
      // acc ← fma(A[i, p..p+L), B[j, p..p+L), acc)
      acc = FloatVector.fromArray(SPECIES, a, ai + p).fma(FloatVector.fromArray(SPECIES, b, bj + p), acc);
    }
    float s = sumLanes(acc, scratch);
    for (int p = kBound; p < k; p++) {
      s += a[ai + p] * b[bj + p];
    }
    c[ci] += s;
  }
}
