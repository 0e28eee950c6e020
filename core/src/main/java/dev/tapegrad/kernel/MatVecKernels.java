package dev.tapegrad.kernel;

import java.util.Objects;

/**
 * The matrix-vector products, BLAS level 2, on slices of {@code float[]}: each operand is an array
 * plus the offset of its first element, so the kernel can work on one step or one row inside a
 * larger buffer. The door of each, and its scalar reference right below; the SIMD twin is
 * {@link MatVecSimd}.
 *
 * <p>The matrix-vector product is the recurrent product at batch 1, {@code W_hh · h} with W_hh
 * G·H×H, one call per time step, and its backward {@code W_hhᵀ · dgh}. A step is tens of
 * microseconds, too short to fork and join, so the doors that take a {@link Team} share one
 * product between the caller and one pool thread, which spins briefly after each step waiting for
 * the next.
 */
public final class MatVecKernels {

  /** A product smaller than this many multiply-adds is not split over a team. */
  static final long MIN_TEAM_MACS = 1 << 16;

  private MatVecKernels() {}

  /**
   * {@code y[rows] += W[rows, cols] · x[cols]}, on the calling thread: each y[r] gains the dot
   * product of row r of W with x. This is {@link MatMulKernels#matmulTransBReference} with one row
   * of A (x) and B = W.
   *
   * <p>Example, a decoder's logits for one hidden state (W is V×H, y starts as the bias):
   *
   * <pre>{@code
   * MatVecKernels.matvec(weight, 0, h, 0, logits, 0, vocab, hidden);
   * }</pre>
   *
   * @param w W, rows×cols, row-major, from {@code wOff}
   * @param wOff index of W[0,0]
   * @param x x, cols, from {@code xOff}
   * @param xOff index of x[0]
   * @param y y, rows, from {@code yOff}, accumulated into; must not overlap W or x
   * @param yOff index of y[0]
   * @param rows rows of W, length of y
   * @param cols columns of W, length of x
   * @throws IndexOutOfBoundsException if a slice does not fit its array
   */
  public static void matvec(float[] w, int wOff, float[] x, int xOff, float[] y, int yOff, int rows, int cols) {
    Objects.checkFromIndexSize(wOff, Math.multiplyExact(rows, cols), w.length);
    Objects.checkFromIndexSize(xOff, cols, x.length);
    Objects.checkFromIndexSize(yOff, rows, y.length);
    if (Vectors.ON) {
      MatVecSimd.matvecSimd(w, wOff, x, xOff, y, yOff, rows, cols);
      return;
    }
    matvecReference(w, wOff, x, xOff, y, yOff, rows, cols);
  }

  /** The scalar loop of {@link #matvec(float[], int, float[], int, float[], int, int, int)}; same arguments. */
  public static void matvecReference(float[] w, int wOff, float[] x, int xOff, float[] y, int yOff, int rows,
      int cols) {
    for (int r = 0; r < rows; r++) {
      // y[r] += Σ_c W[r,c] x[c]
      float sum = 0f;
      int row = wOff + r * cols;
      for (int c = 0; c < cols; c++) {
        sum += w[row + c] * x[xOff + c];
      }
      y[yOff + r] += sum;
    }
  }

  /**
   * {@link #matvec(float[], int, float[], int, float[], int, int, int)}, split by rows between the
   * caller and {@code team}'s helper when the SIMD twins run and the product is large enough to
   * share ({@value #MIN_TEAM_MACS} multiply-adds or more); bitwise the same, since every row is
   * computed the same way whichever thread takes it.
   *
   * @param team the caller's team, kept for the whole loop of steps
   * @throws IndexOutOfBoundsException if a slice does not fit its array
   * @see #matvec(float[], int, float[], int, float[], int, int, int) the other arguments
   */
  public static void matvec(Team team, float[] w, int wOff, float[] x, int xOff, float[] y, int yOff, int rows,
      int cols) {
    if (!Vectors.ON || (long) rows * cols < MIN_TEAM_MACS || rows < 8) {
      matvec(w, wOff, x, xOff, y, yOff, rows, cols);
      return;
    }
    Objects.checkFromIndexSize(wOff, Math.multiplyExact(rows, cols), w.length);
    Objects.checkFromIndexSize(xOff, cols, x.length);
    Objects.checkFromIndexSize(yOff, rows, y.length);
    // two halves, the first a multiple of four rows (the kernel's group)
    int half = rows / 8 * 4;
    team.run(2, part -> {
      int from = part == 0 ? 0 : half;
      int to = part == 0 ? half : rows;
      MatVecSimd.matvecSimd(w, wOff + from * cols, x, xOff, y, yOff + from, to - from, cols);
    });
  }

  /**
   * Two products with the same number of rows, {@code y1 += W1 · x1} and {@code y2 += W2 · x2},
   * split by rows between the caller and {@code team}'s helper with one hand-off for both (as
   * {@link #matvec(Team, float[], int, float[], int, float[], int, int, int)} does for one): a
   * recurrent step's two projections, {@code W_ih x} and {@code W_hh h}. Bitwise the same as the
   * two products one after the other, since every row is computed the same way whichever thread
   * takes it. W1, W2, y1 and y2 start at index 0.
   *
   * @param team the caller's team, kept for the whole loop of steps
   * @param w1 W1, rows×cols1
   * @param x1 x1, cols1 from {@code x1Off}
   * @param x1Off index of x1[0]
   * @param y1 y1, rows, accumulated into
   * @param cols1 columns of W1
   * @param w2 W2, rows×cols2
   * @param x2 x2, cols2
   * @param y2 y2, rows, accumulated into
   * @param cols2 columns of W2
   * @param rows rows of W1 and W2
   * @throws IndexOutOfBoundsException if a slice does not fit its array
   */
  public static void matvecPair(Team team, float[] w1, float[] x1, int x1Off, float[] y1, int cols1, float[] w2,
      float[] x2, float[] y2, int cols2, int rows) {
    if (!Vectors.ON || (long) rows * (cols1 + cols2) < MIN_TEAM_MACS || rows < 8) {
      matvec(w1, 0, x1, x1Off, y1, 0, rows, cols1);
      matvec(w2, 0, x2, 0, y2, 0, rows, cols2);
      return;
    }
    Objects.checkFromIndexSize(0, Math.multiplyExact(rows, cols1), w1.length);
    Objects.checkFromIndexSize(x1Off, cols1, x1.length);
    Objects.checkFromIndexSize(0, rows, y1.length);
    Objects.checkFromIndexSize(0, Math.multiplyExact(rows, cols2), w2.length);
    Objects.checkFromIndexSize(0, cols2, x2.length);
    Objects.checkFromIndexSize(0, rows, y2.length);
    int half = rows / 8 * 4;
    team.run(2, part -> {
      int from = part == 0 ? 0 : half;
      int to = part == 0 ? half : rows;
      MatVecSimd.matvecSimd(w1, from * cols1, x1, x1Off, y1, from, to - from, cols1);
      MatVecSimd.matvecSimd(w2, from * cols2, x2, 0, y2, from, to - from, cols2);
    });
  }

  /**
   * {@code y[cols] += W[rows, cols]ᵀ · x[rows]}, the product with W's transpose without
   * transposing W, split by columns between the caller and {@code team}'s helper when large enough
   * (as {@link #matvec(Team, float[], int, float[], int, float[], int, int, int)}).
   *
   * @param team the caller's team, kept for the whole loop of steps
   * @param w W, rows×cols, row-major
   * @param x x, rows
   * @param y y, cols, accumulated into; must not overlap W or x
   * @param rows rows of W, length of x
   * @param cols columns of W, length of y
   * @throws IndexOutOfBoundsException if an array is too short
   */
  public static void matvecTransposed(Team team, float[] w, float[] x, float[] y, int rows, int cols) {
    Objects.checkFromIndexSize(0, Math.multiplyExact(rows, cols), w.length);
    Objects.checkFromIndexSize(0, rows, x.length);
    Objects.checkFromIndexSize(0, cols, y.length);
    if (Vectors.ON) {
      // two halves of the columns, the first a whole number of the kernel's column blocks
      int block = MatVecSimd.COLUMN_VECTORS * Vectors.LANES;
      int half = (long) rows * cols < MIN_TEAM_MACS ? cols : Math.min(cols, (cols / 2 + block - 1) / block * block);
      team.run(half == cols ? 1 : 2, part -> {
        int from = part == 0 ? 0 : half;
        int to = part == 0 ? half : cols;
        MatVecSimd.matvecTransposedSimd(w, from, cols, x, 0, y, from, rows, to - from);
      });
      return;
    }
    matvecTransposedReference(w, 0, x, 0, y, 0, rows, cols);
  }

  /**
   * The scalar loop of {@link #matvecTransposed}, on slices (as
   * {@link #matvec(float[], int, float[], int, float[], int, int, int)}'s arguments, with x of
   * length rows and y of length cols): each y[c] gains the dot product of column c of W with x,
   * summed from r = 0 upwards and then added to y[c]; bitwise what {@link #matvecReference} gives
   * on W's transpose.
   */
  public static void matvecTransposedReference(float[] w, int wOff, float[] x, int xOff, float[] y, int yOff,
      int rows, int cols) {
    for (int c = 0; c < cols; c++) {
      // y[c] += Σ_r W[r,c] x[r]
      float sum = 0f;
      for (int r = 0; r < rows; r++) {
        sum += w[wOff + r * cols + c] * x[xOff + r];
      }
      y[yOff + c] += sum;
    }
  }
}
