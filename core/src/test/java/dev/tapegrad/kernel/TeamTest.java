package dev.tapegrad.kernel;

import static dev.tapegrad.kernel.KernelAsserts.assertBitwiseEqual;
import static dev.tapegrad.kernel.KernelAsserts.uniform;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link Team}: every part of every step runs exactly once, whoever takes it, over thousands of
 * back-to-back steps (the helper keeps up, falls behind, leaves when idle and comes back); a
 * failing part reaches the caller; and a matrix-vector product shared with the helper gives the
 * bits of the unshared one. Each test runs in a pool of 1 and of 2 threads.
 */
class TeamTest {

  @ParameterizedTest(name = "{0} thread(s)")
  @ValueSource(ints = {1, 2})
  void everyPartOfEveryStepRunsExactlyOnce(int threads) throws Exception {
    ForkJoinPool pool = new ForkJoinPool(threads);
    try {
      pool.submit(() -> {
        Team team = new Team();
        SplittableRandom random = new SplittableRandom(threads);
        for (int step = 0; step < 5000; step++) {
          int parts = 1 + random.nextInt(5);
          AtomicIntegerArray runs = new AtomicIntegerArray(parts);
          team.run(parts, runs::incrementAndGet);
          for (int p = 0; p < parts; p++) {
            assertEquals(1, runs.get(p), "step " + step + ", part " + p + " of " + parts);
          }
          if (step % 1000 == 999) {
            // long enough for the helper to leave; the next step must start a new one
            sleep(2 * Team.IDLE_NANOS / 1_000_000 + 1);
          }
        }
      }).get();
    } finally {
      pool.shutdown();
    }
  }

  @ParameterizedTest(name = "{0} thread(s)")
  @ValueSource(ints = {1, 2})
  void aFailingPartReachesTheCallerAndTheTeamGoesOn(int threads) throws Exception {
    ForkJoinPool pool = new ForkJoinPool(threads);
    try {
      pool.submit(() -> {
        Team team = new Team();
        IllegalStateException boom = new IllegalStateException("boom");
        IllegalStateException thrown = assertThrows(IllegalStateException.class, () -> team.run(2, p -> {
          if (p == 1) {
            throw boom;
          }
        }));
        assertSame(boom, thrown);
        AtomicIntegerArray runs = new AtomicIntegerArray(2);
        team.run(2, runs::incrementAndGet);
        assertEquals("[1, 1]", runs.toString());
      }).get();
    } finally {
      pool.shutdown();
    }
  }

  @ParameterizedTest(name = "{0} thread(s)")
  @ValueSource(ints = {1, 2})
  void sharedMatvecIsBitwiseTheUnsharedOne(int threads) throws Exception {
    ForkJoinPool pool = new ForkJoinPool(threads);
    try {
      pool.submit(() -> {
        Team team = new Team();
        SplittableRandom random = new SplittableRandom(8);
        int[][] shapes = {{1536, 512}, {1537, 300}, {4096, 70}, {513, 129}, {8, 8192}, {37, 3000}, {700, 0}};
        for (int[] shape : shapes) {
          int rows = shape[0];
          int cols = shape[1];
          float[] w = uniform(random, rows * cols + 3);
          float[] x = uniform(random, cols + 1);
          float[] y = uniform(random, rows + 2);
          float[] expected = y.clone();
          MatVecKernels.matvec(w, 3, x, 1, expected, 2, rows, cols);
          float[] xT = uniform(random, rows);
          float[] expectedT = new float[cols];
          MatVecKernels.matvecTransposed(new Team(), w, xT, expectedT, rows, cols);
          for (int repeat = 0; repeat < 20; repeat++) {
            float[] actual = y.clone();
            MatVecKernels.matvec(team, w, 3, x, 1, actual, 2, rows, cols);
            assertBitwiseEqual(rows + "×" + cols + ", repeat " + repeat, expected, actual);
            float[] actualT = new float[cols];
            MatVecKernels.matvecTransposed(team, w, xT, actualT, rows, cols);
            assertBitwiseEqual("transposed " + rows + "×" + cols + ", repeat " + repeat, expectedT, actualT);
          }
        }
      }).get();
    } finally {
      pool.shutdown();
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
