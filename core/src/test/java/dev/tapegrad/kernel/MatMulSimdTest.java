package dev.tapegrad.kernel;

import static dev.tapegrad.kernel.KernelAsserts.assertBitwiseEqual;
import static dev.tapegrad.kernel.KernelAsserts.assertMatMulMatches;
import static dev.tapegrad.kernel.KernelAsserts.uniform;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.tapegrad.kernel.KernelAsserts.MatMulKernel;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link MatMulSimd} against {@link MatMulKernels}, within the rounding bound of
 * {@link KernelAsserts}, on every shape class the tiles distinguish: every reduction tail below
 * the vector width (k = 1..17, then 64, 100, 511, 512, 513), rows around the 6-row and 4-row tile heights,
 * and columns around one vector and the two-vector panel.
 */
class MatMulSimdTest {

  private static final int LANES = Vectors.LANES;

  /**
   * Rows of C: 1, 2, 3 (a short edge tile only), 4 (one short tile), 5 (a six-row edge), 6, 7 (4 + a
   * short edge), 8 (4 + 4), 9 (6 + a short edge), 11 (6 + a six-row edge), 13, 32 (6 + 6 + 6 + 6 + 4 + 4).
   */
  private static final int[] ROWS = {1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 13, 32};

  /** Columns of C, from the vector width L: below, at and above one vector and one 2L panel. */
  private static final int[] COLS = {1, 2, LANES - 1, LANES, LANES + 1, 2 * LANES, 3 * LANES + 1, 4 * LANES + 3,
      4 * LANES + 6};

  static IntStream reductionLengths() {
    return IntStream.concat(IntStream.rangeClosed(1, 17), IntStream.of(64, 100, 511, 512, 513));
  }

  @ParameterizedTest(name = "k = {0}")
  @MethodSource("reductionLengths")
  void simdMatmulMatchesReference(int k) {
    checkAllShapes("matmul", MatMulKernels::matmulReference, MatMulSimd::matmulSimd, k);
  }

  @ParameterizedTest(name = "k = {0}")
  @MethodSource("reductionLengths")
  void simdMatmulTransAMatchesReference(int k) {
    checkAllShapes("matmulTransA", MatMulKernels::matmulTransAReference, MatMulSimd::matmulTransASimd, k);
  }

  @ParameterizedTest(name = "k = {0}")
  @MethodSource("reductionLengths")
  void simdMatmulTransBMatchesReference(int k) {
    checkAllShapes("matmulTransB", MatMulKernels::matmulTransBReference, MatMulSimd::matmulTransBSimd, k);
  }

  @Test
  void simdMatmulsMatchReferenceAcrossCacheBlocks() {
    // m crosses M_BLOCK (96) with a remainder row, k crosses K_BLOCK (256) several times, n
    // crosses N_BLOCK (512) with a ragged panel
    int m = MatMulSimd.M_BLOCK + 7;
    int k = 2000;
    int n = MatMulSimd.N_BLOCK + 43;
    SplittableRandom random = new SplittableRandom(7);
    float[] a = uniform(random, m * k);
    float[] b = uniform(random, k * n);
    float[] bt = uniform(random, n * k);
    float[] c0 = uniform(random, m * n);
    assertMatMulMatches("matmul", MatMulKernels::matmulReference, MatMulSimd::matmulSimd, a, b, c0, m, k, n);
    assertMatMulMatches("matmulTransA", MatMulKernels::matmulTransAReference, MatMulSimd::matmulTransASimd, a, b,
        c0, m, k, n);
    assertMatMulMatches("matmulTransB", MatMulKernels::matmulTransBReference, MatMulSimd::matmulTransBSimd, a, bt,
        c0, m, k, n);
  }

  @Test
  void simdResultOfAnElementDoesNotDependOnItsTile() {
    // C computed whole, then again on the view that starts one row and one column later: every
    // element of the view now sits in a different kind of tile (full, edge or scalar tail) and a
    // different cache block, yet must get the same bits. This is what makes parallel results
    // independent of where blocks are cut.
    int m = 14;
    int k = 300;
    int n = 4 * LANES + 3;
    SplittableRandom random = new SplittableRandom(5);
    float[] a = uniform(random, m * k);
    float[] b = uniform(random, k * n);
    float[] bt = uniform(random, n * k);
    float[] c0 = uniform(random, m * n);
    // A and B row-major (matmul): the view is A[1.., :], B[:, 1..], C[1.., 1..]
    float[] whole = c0.clone();
    MatMulSimd.product(a, 0, k, 1, b, 0, n, 1, whole, 0, n, m, k, n);
    float[] shifted = c0.clone();
    MatMulSimd.product(a, k, k, 1, b, 1, n, 1, shifted, n + 1, n, m - 1, k, n - 1);
    assertBitwiseEqual("row-major B, shifted view", whole, withBorderOf(whole, shifted, m, n));
    // B given as rows (matmulTransB): the view is A[1.., :], rows 1.. of B, C[1.., 1..]
    whole = c0.clone();
    MatMulSimd.product(a, 0, k, 1, bt, 0, 1, k, whole, 0, n, m, k, n);
    shifted = c0.clone();
    MatMulSimd.product(a, k, k, 1, bt, k, 1, k, shifted, n + 1, n, m - 1, k, n - 1);
    assertBitwiseEqual("B as rows, shifted view", whole, withBorderOf(whole, shifted, m, n));
    // A transposed (matmulTransA, A k×m, copied into slivers): the view is columns 1.. of A
    whole = c0.clone();
    MatMulSimd.product(a, 0, 1, m, b, 0, n, 1, whole, 0, n, m, k, n);
    shifted = c0.clone();
    MatMulSimd.product(a, 1, 1, m, b, 1, n, 1, shifted, n + 1, n, m - 1, k, n - 1);
    assertBitwiseEqual("A transposed, shifted view", whole, withBorderOf(whole, shifted, m, n));
  }

  /** Returns view with row 0 and column 0 (outside the shifted view) copied from whole. */
  private static float[] withBorderOf(float[] whole, float[] view, int m, int n) {
    float[] result = view.clone();
    System.arraycopy(whole, 0, result, 0, n);
    for (int i = 0; i < m; i++) {
      result[i * n] = whole[i * n];
    }
    return result;
  }

  @Test
  void packedProductIsBitwiseTheUnpackedOneOnEveryColumnBlock() {
    // B packed once and read by panels, whole or a block of columns at a time, as the parallel
    // split cuts it: every element gets the bits of the product that packs B on the fly
    int m = 7;
    int k = 300;
    int n = 5 * MatMulSimd.TILE_COLS + 3;
    SplittableRandom random = new SplittableRandom(6);
    float[] a = uniform(random, m * k);
    float[] bt = uniform(random, n * k);
    float[] c0 = uniform(random, m * n);
    float[] expected = c0.clone();
    MatMulSimd.matmulTransBSimd(a, bt, expected, m, k, n);
    float[] packed = new float[MatMulSimd.packedSize(k, n)];
    MatMulSimd.packTransB(bt, k, n, packed);
    float[] whole = c0.clone();
    MatMulSimd.productPacked(a, packed, whole, m, k, n, 0, n);
    assertBitwiseEqual("packed, all columns", expected, whole);
    float[] blocks = c0.clone();
    int cut = 2 * MatMulSimd.TILE_COLS;
    MatMulSimd.productPacked(a, packed, blocks, m, k, n, cut, n);
    MatMulSimd.productPacked(a, packed, blocks, m, k, n, 0, cut);
    assertBitwiseEqual("packed, two column blocks", expected, blocks);
  }

  @Test
  void simdProductsGiveTheSameBitsOnEveryCall() {
    // the first calls run interpreted or in C1 and later ones in C2; all must agree bitwise
    // (with reduceLanes(ADD) in the old dot-product tiles they did not on JDK 25)
    int m = 89;
    int k = 294;
    int n = 107;
    SplittableRandom random = new SplittableRandom(9);
    float[] a = uniform(random, m * k);
    float[] b = uniform(random, n * k);
    float[] c0 = uniform(random, m * n);
    float[] first = c0.clone();
    MatMulSimd.matmulTransBSimd(a, b, first, m, k, n);
    float[] firstNn = c0.clone();
    MatMulSimd.matmulSimd(a, b, firstNn, m, k, n);
    for (int call = 1; call < 30; call++) {
      float[] c = c0.clone();
      MatMulSimd.matmulTransBSimd(a, b, c, m, k, n);
      assertBitwiseEqual("matmulTransB, call " + call, first, c);
      c = c0.clone();
      MatMulSimd.matmulSimd(a, b, c, m, k, n);
      assertBitwiseEqual("matmul, call " + call, firstNn, c);
    }
  }

  @Test
  void laneSumAddsInLaneOrderInterpretedAndCompiled() {
    // lanes of mixed magnitude, so that another order of additions gives other bits
    float[] lanes = new float[LANES];
    for (int i = 0; i < LANES; i++) {
      lanes[i] = (i % 2 == 0 ? 1e8f : 1f) * (i % 4 < 2 ? 1 : -1) + 0.37f * i;
    }
    float expected = lanes[0];
    for (int i = 1; i < LANES; i++) {
      expected += lanes[i];
    }
    float[] scratch = new float[LANES];
    // enough calls for the JIT to compile the helper part way through
    for (int call = 0; call < 50_000; call++) {
      float actual = MatVecSimd.sumLanes(FloatVector.fromArray(Vectors.SPECIES, lanes, 0), scratch);
      if (Float.floatToIntBits(actual) != Float.floatToIntBits(expected)) {
        throw new AssertionError("call " + call + ": expected " + expected + ", got " + actual);
      }
    }
  }

  @Test
  void simdMatmulAccumulatesIntoC() {
    // A = I (2×2), B = [[1, 2], [3, 4]], C = 10: C + I·B
    float[] identity = {1, 0, 0, 1};
    float[] b = {1, 2, 3, 4};
    float[] c = {10, 10, 10, 10};
    MatMulSimd.matmulSimd(identity, b, c, 2, 2, 2);
    KernelAsserts.assertBitwiseEqual("C + I·B", new float[] {11, 12, 13, 14}, c);
  }

  @Test
  void theCallersScratchIsKeptForItsNextProductAndANestedProductGetsItsOwn() {
    MatMulSimd.Scratch first;
    try (MatMulSimd.Scratches outer = MatMulSimd.Scratches.take(2)) {
      first = outer.block(0);
      assertNotSame(first, outer.block(1), "one scratch per block");
      try (MatMulSimd.Scratches nested = MatMulSimd.Scratches.take(1)) {
        assertNotSame(first, nested.block(0), "a product inside a product must not share its buffers");
      }
    }
    try (MatMulSimd.Scratches again = MatMulSimd.Scratches.take(1)) {
      assertSame(first, again.block(0), "the next product reuses the thread's scratch");
    }
  }

  /** Runs one kernel on every (m, n) of {@link #ROWS} × {@link #COLS} for the given k. */
  private static void checkAllShapes(String name, MatMulKernel reference, MatMulKernel simd, int k) {
    SplittableRandom random = new SplittableRandom(1000 + k);
    for (int m : ROWS) {
      for (int n : COLS) {
        // A and B are sized for the largest of the three layouts' needs: m·k and k·n (= n·k)
        float[] a = uniform(random, m * k);
        float[] b = uniform(random, k * n);
        // C starts non-zero, since every kernel accumulates
        float[] c0 = uniform(random, m * n);
        assertMatMulMatches(name + " m=" + m + " k=" + k + " n=" + n, reference, simd, a, b, c0, m, k, n);
      }
    }
  }
}
