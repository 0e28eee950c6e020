package dev.tapegrad.kernel;

import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The calling thread and one helper from its pool working through a loop of small parallel steps
 * together, with one hand-off per step instead of a fork and a join: a recurrent layer's per-step
 * matrix-vector product at batch 1, or sampling, where a step is tens of microseconds and waking a
 * parked pool thread for each would cost a good part of that.
 *
 * <p>{@link #run} publishes a step's parts; the caller and the helper each take parts until none
 * are left, and the caller returns when all are done. The helper is a pool task that stays,
 * spinning, while steps keep coming, and leaves after {@value #IDLE_NANOS} ns without one, so an
 * idle team holds no thread; the next step starts a new helper. The caller never waits for the
 * helper to start: when it is slow to come, or the pool has no thread to spare, the caller does
 * every part itself. Each part is run by exactly one thread, so a step's result does not depend
 * on who ran what.
 *
 * <p>Not thread-safe: one caller at a time (a layer's workspace, a stepper). Nothing else should
 * fork into the pool between the steps of a loop, since the helper may be spinning on a thread.
 */
public final class Team {

  /** How long a helper waits for the next step before it leaves. */
  static final long IDLE_NANOS = 200_000;

  /** One part of a step. */
  @FunctionalInterface
  public interface Part {
    /**
     * Does part {@code part} of the step.
     *
     * @param part the part, in [0, parts)
     */
    void run(int part);
  }

  private volatile int generation;
  private volatile Part body;
  private volatile int parts;
  private volatile Throwable failure;
  private final AtomicInteger next = new AtomicInteger();
  private final AtomicInteger remaining = new AtomicInteger();
  private final AtomicBoolean helping = new AtomicBoolean();

  /** Creates a team; its helper starts with the first step that has two parts or more. */
  public Team() {}

  /**
   * Runs parts {@code 0 … parts−1} of one step, on this thread and, when there is one, the helper;
   * returns when all have run.
   *
   * @param parts the number of parts, at least 1
   * @param body what each part does
   * @throws RuntimeException or Error, the first a part threw (after all parts have finished)
   */
  public void run(int parts, Part body) {
    if (parts == 1 || Kernels.threads() < 2) {
      for (int p = 0; p < parts; p++) {
        body.run(p);
      }
      return;
    }
    failure = null;
    this.body = body;
    this.parts = parts;
    // remaining before next: a helper still claiming from the last step must find a whole step
    remaining.set(parts);
    next.set(0);
    generation++;
    if (helping.compareAndSet(false, true)) {
      ForkJoinTask.adapt(this::help).fork();
    }
    claim();
    while (remaining.get() != 0) {
      Thread.onSpinWait();
    }
    Throwable e = failure;
    if (e instanceof RuntimeException r) {
      throw r;
    }
    if (e instanceof Error error) {
      throw error;
    }
  }

  /** Takes parts of the current step until none are left. */
  private void claim() {
    for (int p = next.getAndIncrement(); p < parts; p = next.getAndIncrement()) {
      try {
        body.run(p);
      } catch (Throwable e) {
        failure = e;
      } finally {
        remaining.decrementAndGet();
      }
    }
  }

  /** The helper: takes parts of each step as it comes, and leaves when none has come for a while. */
  private void help() {
    while (true) {
      int seen = generation;
      claim();
      long idleSince = System.nanoTime();
      while (generation == seen) {
        if (System.nanoTime() - idleSince > IDLE_NANOS) {
          helping.set(false);
          // a step published just now, whose caller saw this helper still here, is ours to help
          if (generation == seen || !helping.compareAndSet(false, true)) {
            return;
          }
          break;
        }
        Thread.onSpinWait();
      }
    }
  }
}
