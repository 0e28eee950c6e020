package dev.tapegrad.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link Parallel#forEachBlock}: coverage, alignment, the one-block fast path and exceptions. */
class ParallelTest {

  @ParameterizedTest(name = "length={0} blocks={1} align={2}")
  @CsvSource({"100, 2, 6", "100, 3, 1", "7, 4, 3", "5, 8, 1", "1, 2, 6", "0, 2, 4", "1537, 2, 16", "12, 4, 3"})
  void blocksCoverTheRangeOnceWithAlignedBoundaries(int length, int blocks, int align) {
    List<int[]> ranges = Collections.synchronizedList(new ArrayList<>());
    Parallel.forEachBlock(length, blocks, align, (block, start, end) -> ranges.add(new int[] {start, end, block}));
    List<int[]> sorted = new ArrayList<>(ranges);
    sorted.sort((x, y) -> Integer.compare(x[0], y[0]));
    assertTrue(sorted.size() <= Math.max(1, blocks), "at most " + blocks + " blocks, got " + sorted.size());
    int next = 0;
    for (int i = 0; i < sorted.size(); i++) {
      int[] range = sorted.get(i);
      assertEquals(i, range[2], "blocks are numbered from 0 in index order");
      assertEquals(next, range[0], "blocks are contiguous");
      assertEquals(0, range[0] % align, "block start is a multiple of " + align);
      assertTrue(range[1] >= range[0], "block is not reversed");
      next = range[1];
    }
    assertEquals(length, next, "blocks end at the length");
  }

  @Test
  void singleBlockRunsOnTheCallingThread() {
    Thread caller = Thread.currentThread();
    AtomicInteger calls = new AtomicInteger();
    Parallel.forEachBlock(10, 1, 1, (block, start, end) -> {
      assertSame(caller, Thread.currentThread());
      calls.incrementAndGet();
    });
    assertEquals(1, calls.get());
  }

  @Test
  void blocksStartedInAPoolRunOnThatPoolsWorkers() throws Exception {
    ForkJoinPool pool = new ForkJoinPool(3);
    try {
      List<Thread> threads = Collections.synchronizedList(new ArrayList<>());
      pool.submit(() -> Parallel.forEachBlock(300, 3, 1, (block, start, end) -> threads.add(Thread.currentThread())))
          .get();
      assertEquals(3, threads.size());
      for (Thread t : threads) {
        assertTrue(t instanceof ForkJoinWorkerThread w && w.getPool() == pool, t + " is a worker of the caller's pool");
      }
    } finally {
      pool.shutdown();
    }
  }

  @Test
  void callerThreadsAreThePoolsParallelismOrTheCommonPoolsPlusTheCaller() throws Exception {
    assertEquals(ForkJoinPool.getCommonPoolParallelism() + 1, Parallel.callerThreads());
    for (int parallelism : new int[] {1, 4}) {
      ForkJoinPool pool = new ForkJoinPool(parallelism);
      try {
        assertEquals(parallelism, pool.submit(Parallel::callerThreads).get());
      } finally {
        pool.shutdown();
      }
    }
  }

  @Test
  void exceptionInABlockReachesTheCaller() {
    IllegalStateException thrown = assertThrows(IllegalStateException.class,
        () -> Parallel.forEachBlock(100, 4, 1, (block, start, end) -> {
          if (start > 0) {
            throw new IllegalStateException("block " + start);
          }
        }));
    // thrown on a pool thread, ForkJoinTask rethrows a copy whose cause is the original
    Throwable original = thrown.getCause() instanceof IllegalStateException ? thrown.getCause() : thrown;
    assertTrue(original.getMessage().startsWith("block "), original.getMessage());
  }
}
