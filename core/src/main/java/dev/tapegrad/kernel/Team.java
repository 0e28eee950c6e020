package dev.tapegrad.kernel;

import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

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
  /**
   * The current step's generation (high 32 bits) and its next unclaimed part (low 32 bits), in one
   * word, so that a part is claimed for one step only: a claim on a step that has ended fails.
   */
  private final AtomicLong ticket = new AtomicLong();

  /** A ticket's part number while a new step is being published: more than any step has parts. */
  private static final long CLOSED = Integer.MAX_VALUE;
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
    // close the last step's ticket first: a claimer that read it before this line cannot set it
    // now, even if it goes on to read this step's body and count
    int step = generation + 1;
    ticket.set(((long) generation << 32) | CLOSED);
    failure = null;
    this.body = body;
    this.parts = parts;
    remaining.set(parts);
    // then open this step's: whoever sees the new generation in it sees the body, parts and count
    ticket.set((long) step << 32);
    generation = step;
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

  /**
   * Takes parts of the current step until none are left.
   *
   * <p>Note: a claim is a compare-and-set of the whole ticket, not an increment of a part counter.
   * With a counter, a helper that drew a number just as the caller published a step with more
   * parts read the new count, ran that part of the new step, and the caller ran it again; the
   * count of parts left went below zero and the caller spun forever ({@code TeamRaceTest}). Now
   * the caller closes the old ticket before it writes the new step, so a claimer that read the old
   * ticket and then the new body and count fails to set it; and one that read the new ticket reads
   * that step's body and count, since the next step is published only after all of them ran.
   */
  private void claim() {
    while (true) {
      long t = ticket.get();
      int p = (int) t;
      Part step = body;
      if (p >= parts) {
        return;
      }
      if (ticket.compareAndSet(t, t + 1)) {
        try {
          step.run(p);
        } catch (Throwable e) {
          failure = e;
        } finally {
          remaining.decrementAndGet();
        }
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
