package dev.tapegrad.kernel;

import static dev.tapegrad.kernel.KernelAsserts.abs;
import static dev.tapegrad.kernel.KernelAsserts.assertBitwiseEqual;
import static dev.tapegrad.kernel.KernelAsserts.assertWithin;
import static dev.tapegrad.kernel.KernelAsserts.matvecTolerance;
import static dev.tapegrad.kernel.KernelAsserts.sumTolerance;
import static dev.tapegrad.kernel.KernelAsserts.uniform;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link MatVecSimd} against {@link MatVecKernels}: dot and matvec within the rounding bound of
 * {@link KernelAsserts}, axpy bitwise, all on slices at non-zero offsets.
 */
class MatVecSimdTest {

  static IntStream lengths() {
    return IntStream.concat(IntStream.rangeClosed(0, 17), IntStream.of(31, 32, 33, 64, 100, 511, 512, 513, 1000));
  }

  @ParameterizedTest(name = "length = {0}")
  @MethodSource("lengths")
  void simdDotMatchesReference(int length) {
    SplittableRandom random = new SplittableRandom(length);
    float[] x = uniform(random, length + 3);
    float[] y = uniform(random, length + 5);
    float expected = MatVecKernels.dotReference(x, 3, y, 5, length);
    float actual = MatVecSimd.dotSimd(x, 3, y, 5, length);
    float magnitude = MatVecKernels.dotReference(abs(x), 3, abs(y), 5, length);
    assertWithin("dot, length " + length, new float[] {expected}, new float[] {actual},
        sumTolerance(new float[] {magnitude}, length));
  }

  @ParameterizedTest(name = "length = {0}")
  @MethodSource("lengths")
  void simdAxpyIsBitwiseTheReference(int length) {
    SplittableRandom random = new SplittableRandom(length);
    float[] x = uniform(random, length + 2);
    float[] y = uniform(random, length + 1);
    float[] expected = y.clone();
    MatVecKernels.axpyReference(-0.37f, x, 2, expected, 1, length);
    float[] actual = y.clone();
    MatVecSimd.axpySimd(-0.37f, x, 2, actual, 1, length);
    assertBitwiseEqual("axpy, length " + length, expected, actual);
  }

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
  void simdMatvecIsBitwiseTheSimdTransposedProductWithOneRow() {
    SplittableRandom random = new SplittableRandom(3);
    int rows = 37;
    int cols = 203;
    float[] w = uniform(random, rows * cols);
    float[] x = uniform(random, cols);
    float[] y = uniform(random, rows);
    float[] viaMatvec = y.clone();
    MatVecSimd.matvecSimd(w, 0, x, 0, viaMatvec, 0, rows, cols);
    float[] viaMatmul = y.clone();
    MatMulSimd.matmulTransBSimd(x, w, viaMatmul, 1, cols, rows);
    assertBitwiseEqual("matvec vs matmulTransB(m = 1)", viaMatmul, viaMatvec);
  }
}
