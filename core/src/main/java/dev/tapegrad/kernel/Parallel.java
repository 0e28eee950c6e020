package dev.tapegrad.kernel;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;

/**
 * Runs a loop over {@code [0, length)} as a few contiguous blocks on a {@link ForkJoinPool}, in
 * the spirit of llama3.java's {@code Parallel}, but with coarse blocks (about one per thread)
 * instead of one task per index: on two cores a task per row costs more in scheduling than it
 * gains.
 *
 * <p>The blocks run in the pool of the calling thread: a pool's worker forks them into its own
 * pool, any other thread into the common pool ({@link ForkJoinTask#invokeAll}). The caller runs
 * one block itself and waits for the rest, so on two cores the common pool's one worker and the
 * calling thread give two-way parallelism; {@link #callerThreads()} says how many threads there
 * are. Exceptions thrown by a block reach the caller. There is no state here: each call splits
 * its own range.
 */
final class Parallel {

  /** The body of a blocked loop: handles indices {@code [start, end)}. */
  @FunctionalInterface
  interface Block {

    /**
     * Runs the loop for one block.
     *
     * @param block the block's number, from 0 in index order, below the {@code blocks} asked for
     * @param start the first index, inclusive
     * @param end the last index, exclusive
     */
    void run(int block, int start, int end);
  }

  private Parallel() {}

  /**
   * Returns how many threads {@link #forEachBlock} can keep busy when called from this thread:
   * inside a {@link ForkJoinPool}'s worker, that pool's parallelism (the worker is one of them);
   * on any other thread, the common pool's parallelism plus the calling thread.
   *
   * @return the thread count, at least 1
   */
  static int callerThreads() {
    if (Thread.currentThread() instanceof ForkJoinWorkerThread worker) {
      return worker.getPool().getParallelism();
    }
    return ForkJoinPool.getCommonPoolParallelism() + 1;
  }

  /**
   * Splits {@code [0, length)} into at most {@code blocks} contiguous blocks whose boundaries
   * are multiples of {@code align} (the last block takes the remainder) and runs {@code body}
   * on each, in parallel. With one block the body runs on the calling thread and nothing is
   * scheduled.
   *
   * @param length the loop length, ≥ 0
   * @param blocks the maximum number of blocks, ≥ 1
   * @param align block boundaries are multiples of this, ≥ 1 (for example a tile height)
   * @param body the loop body
   */
  static void forEachBlock(int length, int blocks, int align, Block body) {
    // the range in units of align, dealt out as evenly as possible
    int units = (length + align - 1) / align;
    int unitsPerBlock = Math.max(1, (units + blocks - 1) / blocks);
    int count = (units + unitsPerBlock - 1) / unitsPerBlock;
    if (count <= 1) {
      body.run(0, 0, length);
      return;
    }
    int step = unitsPerBlock * align;
    ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[count];
    for (int t = 0; t < count; t++) {
      int block = t;
      int start = t * step;
      int end = Math.min(length, start + step);
      tasks[t] = ForkJoinTask.adapt(() -> body.run(block, start, end));
    }
    // forks all but the first, runs the first here, then joins the rest (helping if needed)
    ForkJoinTask.invokeAll(tasks);
  }
}
