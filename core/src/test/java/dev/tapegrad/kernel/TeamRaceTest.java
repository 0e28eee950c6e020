package dev.tapegrad.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/**
 * {@link Team} under the one schedule that broke it: back-to-back steps whose part counts grow, so
 * that a helper still finishing its claim on one step meets the next step's larger count. Before
 * claims carried their step's generation, the helper could run a part of the new step that the
 * caller then ran again; {@code remaining} went below zero and the caller spun forever.
 */
class TeamRaceTest {

  @Test
  void stepsOfGrowingPartCountsNeverRunAPartTwice() {
    ForkJoinPool pool = new ForkJoinPool(2);
    try {
      assertTimeoutPreemptively(Duration.ofSeconds(60), () -> pool.submit(() -> {
        Team team = new Team();
        AtomicIntegerArray runs = new AtomicIntegerArray(16);
        for (int step = 0; step < 1_000_000; step++) {
          int parts = 2 + step % 15;   // 2, 3, …, 16, 2, 3, …: every step but one has more parts than the last
          for (int p = 0; p < parts; p++) {
            runs.set(p, 0);
          }
          team.run(parts, runs::incrementAndGet);
          for (int p = 0; p < parts; p++) {
            assertEquals(1, runs.get(p), "step " + step + ", part " + p + " of " + parts);
          }
        }
      }).get());
    } finally {
      pool.shutdownNow();
    }
  }
}
