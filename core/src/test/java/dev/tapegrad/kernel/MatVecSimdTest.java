package dev.tapegrad.kernel;

import static dev.tapegrad.kernel.KernelAsserts.assertBitwiseEqual;
import static dev.tapegrad.kernel.KernelAsserts.assertWithin;
import static dev.tapegrad.kernel.KernelAsserts.matvecTolerance;
import static dev.tapegrad.kernel.KernelAsserts.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link MatVecSimd} against {@link MatVecKernels}: matvec within the rounding bound of
 * {@link KernelAsserts}, on slices at non-zero offsets.
 */
class MatVecSimdTest {

  @ParameterizedTest(name = "rows={0} cols={1}")
  @CsvSource({"1, 1", "3, 7", "4, 8", "5, 9", "7, 17", "13, 64", "6, 100", "9, 511", "11, 513", "1536, 512"})
  void simdMatvecMatchesReference(int rows, int cols) {
    SplittableRandom random = new SplittableRandom(rows * 1000L + cols);
    // W, x and y sit inside larger buffers, as in a GRU's per-step state
    int wOff = 5;
    int xOff = 2 * cols + 1;
    int yOff = 3;
    float[] w = uniform(random, wOff + rows * cols);
    float[] x = uniform(random, xOff + cols + 4);
    float[] y = uniform(random, yOff + rows + 2);
    float[] expected = y.clone();
    MatVecKernels.matvecReference(w, wOff, x, xOff, expected, yOff, rows, cols);
    float[] actual = y.clone();
    MatVecSimd.matvecSimd(w, wOff, x, xOff, actual, yOff, rows, cols);
    assertWithin("matvec " + rows + "×" + cols, expected, actual,
        matvecTolerance(w, wOff, x, xOff, y, yOff, rows, cols));
  }

  @Test
  void simdMatvecRowGetsTheSameBitsWhateverRowsItIsGroupedWith() {
    // all rows at once (groups of four and a tail), then from row 1 on, then row by row: each row
    // must get the same bits, which is what lets a split over threads leave results unchanged
    SplittableRandom random = new SplittableRandom(3);
    int rows = 37;
    int cols = 203;
    float[] w = uniform(random, rows * cols);
    float[] x = uniform(random, cols);
    float[] y = uniform(random, rows);
    float[] whole = y.clone();
    MatVecSimd.matvecSimd(w, 0, x, 0, whole, 0, rows, cols);
    float[] shifted = y.clone();
    MatVecSimd.matvecSimd(w, 0, x, 0, shifted, 0, 1, cols);
    MatVecSimd.matvecSimd(w, cols, x, 0, shifted, 1, rows - 1, cols);
    assertBitwiseEqual("rows 0 and 1.. apart", whole, shifted);
    float[] single = y.clone();
    for (int r = 0; r < rows; r++) {
      MatVecSimd.matvecSimd(w, r * cols, x, 0, single, r, 1, cols);
    }
    assertBitwiseEqual("row by row", whole, single);
  }

  @ParameterizedTest(name = "rows={0} cols={1}")
  @CsvSource({"1, 1", "3, 7", "7, 17", "13, 64", "6, 100", "512, 1536", "1536, 512", "9, 513"})
  void simdTransposedMatvecMatchesReferenceAndIsTheSameByColumnBlocks(int rows, int cols) {
    SplittableRandom random = new SplittableRandom(rows * 7L + cols);
    int wOff = 3;
    int xOff = 2;
    int yOff = 5;
    float[] w = uniform(random, wOff + rows * cols);
    float[] x = uniform(random, xOff + rows + 1);
    float[] y = uniform(random, yOff + cols + 3);
    float[] expected = y.clone();
    MatVecKernels.matvecTransposedReference(w, wOff, x, xOff, expected, yOff, rows, cols);
    float[] actual = y.clone();
    MatVecSimd.matvecTransposedSimd(w, wOff, cols, x, xOff, actual, yOff, rows, cols);
    // the same bound as a matvec on W's transpose: each output sums `rows` products
    float[] wT = new float[rows * cols];
    ElementwiseKernels.transpose(java.util.Arrays.copyOfRange(w, wOff, wOff + rows * cols), rows, cols, wT);
    assertWithin("Wᵀx, " + rows + "×" + cols, expected, actual,
        matvecTolerance(wT, 0, x, xOff, y, yOff, cols, rows));
    // columns 0..c and c.. apart, c off any block boundary: the same bits
    int cut = Math.min(cols, 21);
    float[] split = y.clone();
    MatVecSimd.matvecTransposedSimd(w, wOff, cols, x, xOff, split, yOff, rows, cut);
    MatVecSimd.matvecTransposedSimd(w, wOff + cut, cols, x, xOff, split, yOff + cut, rows, cols - cut);
    assertBitwiseEqual("column blocks", actual, split);
  }

  @ParameterizedTest(name = "length = {0}")
  @ValueSource(ints = {0, 1, 15, 16, 17, 1023, 1024, 1025, 100_003})
  void simdSumOfSquaresMatchesTheDoubleReference(int length) {
    float[] x = uniform(new SplittableRandom(length), length);
    double expected = ElementwiseKernels.sumOfSquaresReference(x);
    double actual = MatVecSimd.sumOfSquaresSimd(x);
    // float blocks of 1024 positive terms: a relative error of at most about 1024 · 2^−24 each
    assertEquals(expected, actual, 1e-4 * expected + 1e-30, "length " + length);
  }
}
