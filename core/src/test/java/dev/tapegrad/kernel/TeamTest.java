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

  @ParameterizedTest(name = "{0} thread(s)")
  @ValueSource(ints = {1, 2})
  void sharedPairOfMatvecsIsBitwiseTheTwoUnshared(int threads) throws Exception {
    ForkJoinPool pool = new ForkJoinPool(threads);
    try {
      pool.submit(() -> {
        Team team = new Team();
        SplittableRandom random = new SplittableRandom(9);
        // rows, then the columns of each: a step's W_ih (65 or 512 inputs) and W_hh; small and odd ones
        int[][] shapes = {{1536, 65, 512}, {1536, 512, 512}, {1537, 17, 300}, {12, 3, 5}, {513, 129, 0}, {8, 0, 8}};
        for (int[] shape : shapes) {
          int rows = shape[0];
          int cols1 = shape[1];
          int cols2 = shape[2];
          float[] w1 = uniform(random, rows * cols1);
          float[] x1 = uniform(random, cols1 + 2);
          float[] w2 = uniform(random, rows * cols2);
          float[] x2 = uniform(random, cols2);
          float[] y1 = uniform(random, rows);
          float[] y2 = uniform(random, rows);
          float[] expected1 = y1.clone();
          float[] expected2 = y2.clone();
          MatVecKernels.matvec(w1, 0, x1, 2, expected1, 0, rows, cols1);
          MatVecKernels.matvec(w2, 0, x2, 0, expected2, 0, rows, cols2);
          for (int repeat = 0; repeat < 20; repeat++) {
            float[] actual1 = y1.clone();
            float[] actual2 = y2.clone();
            MatVecKernels.matvecPair(team, w1, x1, 2, actual1, cols1, w2, x2, actual2, cols2, rows);
            String shapeName = rows + "×(" + cols1 + " + " + cols2 + "), repeat " + repeat;
            assertBitwiseEqual("first of " + shapeName, expected1, actual1);
            assertBitwiseEqual("second of " + shapeName, expected2, actual2);
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
