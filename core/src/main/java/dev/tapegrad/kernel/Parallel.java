package dev.tapegrad.kernel;

import java.util.concurrent.ForkJoinTask;

/**
 * Runs a loop over {@code [0, length)} as a few contiguous blocks on the common
 * {@link java.util.concurrent.ForkJoinPool}, in the spirit of llama3.java's {@code Parallel}, but
 * with coarse blocks (about one per thread) instead of one task per index: on two cores a task
 * per row costs more in scheduling than it gains.
 *
 * <p>The caller runs one block itself and waits for the rest, so a pool with one worker and
 * the calling thread give two-way parallelism. Exceptions thrown by a block reach the caller.
 * There is no state here: each call splits its own range.
 */
final class Parallel {

  /** The body of a blocked loop: handles indices {@code [start, end)}. */
  @FunctionalInterface
  interface Block {

    /**
     * Runs the loop for one block.
     *
     * @param start the first index, inclusive
     * @param end the last index, exclusive
     */
    void run(int start, int end);
  }

  private Parallel() {}

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
      body.run(0, length);
      return;
    }
    int step = unitsPerBlock * align;
    ForkJoinTask<?>[] tasks = new ForkJoinTask<?>[count];
    for (int t = 0; t < count; t++) {
      int start = t * step;
      int end = Math.min(length, start + step);
      tasks[t] = ForkJoinTask.adapt(() -> body.run(start, end));
    }
    // forks all but the first, runs the first here, then joins the rest (helping if needed)
    ForkJoinTask.invokeAll(tasks);
  }
}
