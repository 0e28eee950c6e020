package dev.tapegrad.kernel;

import static dev.tapegrad.kernel.KernelAsserts.assertBitwiseEqual;
import static dev.tapegrad.kernel.KernelAsserts.assertMatMulMatches;
import static dev.tapegrad.kernel.KernelAsserts.assertWithin;
import static dev.tapegrad.kernel.KernelAsserts.matvecTolerance;
import static dev.tapegrad.kernel.KernelAsserts.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.tensor.Backend;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Kernels}: the selection rules, the backend this JVM got, the door against the
 * references, and (in child JVMs) the scalar fallback without the vector module.
 */
class KernelsTest {

  @TempDir
  Path temp;

  @Test
  void selectsSimdWhenTheVectorModuleIsPresent() {
    Kernels.Selection s = Kernels.select(null, null, true);
    assertTrue(s.simd());
    assertEquals(Kernels.NO_THREAD_LIMIT, s.threadLimit());
    assertFalse(s.moduleMissing());
    assertEquals(s, Kernels.select("auto", null, true));
  }

  @Test
  void fallsBackToScalarAndAsksForTheHintWhenTheModuleIsMissing() {
    Kernels.Selection s = Kernels.select(null, null, false);
    assertFalse(s.simd());
    assertTrue(s.moduleMissing());
  }

  @Test
  void scalarPropertyForcesScalarWithoutTheHint() {
    for (boolean present : new boolean[] {true, false}) {
      Kernels.Selection s = Kernels.select("scalar", null, present);
      assertFalse(s.simd());
      assertFalse(s.moduleMissing());
    }
  }

  @Test
  void threadsPropertySetsTheThreadLimit() {
    assertEquals(3, Kernels.select(null, "3", true).threadLimit());
    assertEquals(1, Kernels.select(null, " 1 ", true).threadLimit());
    assertEquals(Kernels.NO_THREAD_LIMIT, Kernels.select(null, null, true).threadLimit());
  }

  @Test
  void rejectsPropertyValuesOutsideTheirRangeWithTheValueInTheMessage() {
    IllegalArgumentException kernels = assertThrows(IllegalArgumentException.class,
        () -> Kernels.select("fast", null, true));
    assertTrue(kernels.getMessage().contains("'fast'"), kernels.getMessage());
    for (String threads : new String[] {"0", "-2", "two", ""}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> Kernels.select(null, threads, true));
      assertTrue(e.getMessage().contains(Kernels.THREADS_PROPERTY), e.getMessage());
    }
  }

  @Test
  void surefireRunsWithTheVectorModule() {
    assertTrue(ModuleLayer.boot().findModule(Kernels.VECTOR_MODULE).isPresent(),
        "the surefire argLine must add " + Kernels.VECTOR_MODULE);
  }

  @Test
  void backendReflectsTheKernelsPropertyOfThisJvm() {
    // the suite runs twice: once as configured (SIMD) and once with -Dtapegrad.kernels=scalar
    if ("scalar".equals(System.getProperty(Kernels.KERNELS_PROPERTY))) {
      assertEquals("scalar", Backend.current().toString());
      assertFalse(Kernels.isSimd());
      assertEquals(1, Kernels.threads());
      assertEquals(0, Kernels.vectorBitSize());
      assertEquals(1, Kernels.floatsPerVector());
    } else {
      String expected = "simd-" + Vectors.SPECIES.vectorBitSize() + " (" + Vectors.LANES + " floats), "
          + Kernels.threads() + (Kernels.threads() == 1 ? " thread" : " threads");
      assertEquals(expected, Backend.current().toString());
      assertTrue(Kernels.isSimd());
      assertEquals(Vectors.SPECIES.vectorBitSize(), Kernels.vectorBitSize());
      assertEquals(Vectors.LANES, Kernels.floatsPerVector());
    }
  }

  @Test
  void threadsFollowThePoolOfTheCallingThread() throws Exception {
    // surefire sets no -Dtapegrad.threads, so only the pool limits the count
    assertEquals(null, System.getProperty(Kernels.THREADS_PROPERTY));
    int outside = Kernels.isSimd() ? ForkJoinPool.getCommonPoolParallelism() + 1 : 1;
    assertEquals(outside, Kernels.threads(), "outside a pool: the common pool's workers and the caller");
    for (int parallelism : new int[] {1, 3}) {
      ForkJoinPool pool = new ForkJoinPool(parallelism);
      try {
        int inside = pool.submit(Kernels::threads).get();
        assertEquals(Kernels.isSimd() ? parallelism : 1, inside, "in a pool of " + parallelism);
        Backend here = Backend.current();
        assertEquals(new Backend(here.simd(), here.vectorBitSize(), here.floatsPerVector(), inside),
            pool.submit(Backend::current).get(), "the backend reports the pool's threads");
      } finally {
        pool.shutdown();
      }
    }
  }

  @Test
  void doorMatmulIsBitwiseTheSameInPoolsOfEverySize() throws Exception {
    // large enough to be split when SIMD is active
    int m = 128;
    int k = 130;
    int n = 70;
    SplittableRandom random = new SplittableRandom(14);
    float[] a = uniform(random, m * k);
    float[] b = uniform(random, k * n);
    assertTrue(2L * m * k * n >= MatMulParallel.MIN_PARALLEL_FLOPS, "shape is large enough to be split");
    float[] alone = new float[m * n];
    MatMulKernels.matmul(a, b, alone, m, k, n);
    for (int parallelism : new int[] {1, 2, 5}) {
      ForkJoinPool pool = new ForkJoinPool(parallelism);
      try {
        float[] c = new float[m * n];
        pool.submit(() -> MatMulKernels.matmul(a, b, c, m, k, n)).get();
        assertBitwiseEqual("matmul in a pool of " + parallelism, alone, c);
      } finally {
        pool.shutdown();
      }
    }
  }

  @Test
  void doorMatmulsMatchTheReferences() {
    // large enough to be split when SIMD is active
    int m = 64;
    int k = 129;
    int n = 200;
    SplittableRandom random = new SplittableRandom(11);
    float[] a = uniform(random, m * k);
    float[] b = uniform(random, k * n);
    float[] c0 = uniform(random, m * n);
    assertMatMulMatches("matmul", MatMulKernels::matmulReference, MatMulKernels::matmul, a, b, c0, m, k, n);
    assertMatMulMatches("matmulTransA", MatMulKernels::matmulTransAReference, MatMulKernels::matmulTransA, a, b, c0,
        m, k, n);
    assertMatMulMatches("matmulTransB", MatMulKernels::matmulTransBReference, MatMulKernels::matmulTransB, a, b, c0,
        m, k, n);
  }

  @Test
  void packedRowsGiveBitwiseTheUnpackedProductAndAreASnapshot() {
    // 32 × 512 by 1536 × 512 rows: a GRU's per-step product at batch 32; the packed operand must
    // give exactly the unpacked product's bits on both paths, and keep the values it was packed with
    int m = 32;
    int k = 512;
    int n = 1536;
    SplittableRandom random = new SplittableRandom(14);
    float[] a = uniform(random, m * k);
    float[] rows = uniform(random, n * k);
    float[] c0 = uniform(random, m * n);
    float[] expected = c0.clone();
    MatMulKernels.matmulTransB(a, rows, expected, m, k, n);
    MatMulKernels.PackedRows packed = new MatMulKernels.PackedRows().pack(rows, k, n);
    float[] actual = c0.clone();
    MatMulKernels.matmulTransB(a, packed, actual, m);
    assertBitwiseEqual("packed", expected, actual);
    float[] original = rows.clone();
    java.util.Arrays.fill(rows, 0f);
    actual = c0.clone();
    MatMulKernels.matmulTransB(a, packed, actual, m);
    assertBitwiseEqual("after the rows changed", expected, actual);
    // packing again, with other sizes, into the same operand
    packed.pack(original, k, 7);
    expected = new float[m * 7];
    MatMulKernels.matmulTransB(a, original, expected, m, k, 7);
    actual = new float[m * 7];
    MatMulKernels.matmulTransB(a, packed, actual, m);
    assertBitwiseEqual("repacked with 7 rows", expected, actual);
  }

  @Test
  void packingAWeightAsItsTransposeGivesTheBitsOfPackingItsTransposedRows() {
    // dh += dgh · W_hh at batch 32: W_hh (1536 × 512) packed as it is, against its transpose as rows
    int m = 32;
    int k = 1536;
    int n = 512;
    SplittableRandom random = new SplittableRandom(15);
    float[] a = uniform(random, m * k);
    float[] w = uniform(random, k * n);
    float[] wT = new float[n * k];
    ElementwiseKernels.transpose(w, k, n, wT);
    float[] expected = new float[m * n];
    MatMulKernels.matmulTransB(a, new MatMulKernels.PackedRows().pack(wT, k, n), expected, m);
    float[] actual = new float[m * n];
    MatMulKernels.matmulTransB(a, new MatMulKernels.PackedRows().packTransposed(w, k, n), actual, m);
    assertBitwiseEqual("W packed as it is", expected, actual);
  }

  @Test
  void doorMatvecMatchesTheReference() {
    SplittableRandom random = new SplittableRandom(12);
    int rows = 40;
    int cols = 33;
    float[] w = uniform(random, rows * cols);
    float[] x = uniform(random, 50);
    float[] y = uniform(random, 45);
    // matvec on slices: x from index 1, y from index 2
    float[] expected = y.clone();
    MatVecKernels.matvecReference(w, 0, x, 1, expected, 2, rows, cols);
    float[] actual = y.clone();
    MatVecKernels.matvec(w, 0, x, 1, actual, 2, rows, cols);
    assertWithin("matvec", expected, actual, matvecTolerance(w, 0, x, 1, y, 2, rows, cols));
  }

  @Test
  void doorAdamAndSoftmaxBackwardAreBitwiseTheReferences() {
    SplittableRandom random = new SplittableRandom(13);
    float[] param = uniform(random, 77);
    float[] grad = uniform(random, 77);
    float[] expected = param.clone();
    AdamKernels.stepReference(expected, grad, new float[77], new float[77], 1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f, 3);
    AdamKernels.step(param, grad, new float[77], new float[77], 1e-3f, 0.9f, 0.999f, 1e-8f, 0.01f, 3);
    assertBitwiseEqual("adam", expected, param);
    float[] probs = uniform(random, 7 * 11);
    int[] targets = random.ints(7, 0, 11).toArray();
    float[] dExpected = new float[77];
    float[] dActual = new float[77];
    SoftmaxCrossEntropyKernels.backwardReference(probs, targets, dExpected, 7, 11, 0.5f);
    SoftmaxCrossEntropyKernels.backward(probs, targets, dActual, 7, 11, 0.5f);
    assertBitwiseEqual("dLogits", dExpected, dActual);
  }

  @Test
  void doorRejectsSlicesOutsideTheirArrays() {
    float[] small = new float[10];
    assertThrows(IndexOutOfBoundsException.class, () -> MatVecKernels.matvec(small, 0, small, 0, small, 0, 4, 3));
    float[] four = new float[4];
    assertThrows(IndexOutOfBoundsException.class, () -> MatVecKernels.matvec(small, 0, small, 8, four, 0, 3, 3));
  }

  @Test
  void withoutTheVectorModuleTheKernelsAreScalarAndHintOnce() throws Exception {
    ProbeResult result = runProbe();
    assertEquals(0, result.status(), "probe failed: " + result.stderr());
    assertEquals("scalar", result.stdout().strip());
    assertEquals(1, countHints(result.stderr()), "exactly one hint line in: " + result.stderr());
  }

  @Test
  void forcingScalarPrintsNoHint() throws Exception {
    ProbeResult result = runProbe("-D" + Kernels.KERNELS_PROPERTY + "=scalar");
    assertEquals(0, result.status(), "probe failed: " + result.stderr());
    assertEquals("scalar", result.stdout().strip());
    assertEquals(0, countHints(result.stderr()), "no hint in: " + result.stderr());
  }

  /** What a child JVM printed and returned. */
  private record ProbeResult(int status, String stdout, String stderr) {}

  /** Runs {@link FallbackProbe} in a JVM without {@code --add-modules}, on this test's class path. */
  private ProbeResult runProbe(String... jvmArgs) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of(jvmArgs));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(FallbackProbe.class.getName());
    Path out = temp.resolve("out.txt");
    Path err = temp.resolve("err.txt");
    Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("probe JVM did not finish within 60 s");
    }
    return new ProbeResult(process.exitValue(), Files.readString(out), Files.readString(err));
  }

  private static long countHints(String stderr) {
    return stderr.lines().filter(Kernels.MISSING_MODULE_HINT::equals).count();
  }
}
