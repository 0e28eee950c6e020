package dev.tapegrad.rnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class TrainConfigTest {

  @Test
  void acceptsTheNotebooksSettings() {
    TrainConfig c = new TrainConfig(512, 1, 100, 1, 0.001f, 5, 10, 0, 0, 42, 0.1, true, 200);
    assertEquals(512, c.hidden());
    assertEquals(10, c.epochs());
  }

  @Test
  void rejectsEachBadSettingNamingItsFlag() {
    assertRejected("--hidden must be at least 1, got 0",
        () -> new TrainConfig(0, 1, 100, 1, 0.001f, 5, 10, 0, 0, 42, 0.1, false, 200));
    assertRejected("--layers must be at least 1, got 0",
        () -> new TrainConfig(8, 0, 100, 1, 0.001f, 5, 10, 0, 0, 42, 0.1, false, 200));
    assertRejected("--seq must be at least 1, got -3",
        () -> new TrainConfig(8, 1, -3, 1, 0.001f, 5, 10, 0, 0, 42, 0.1, false, 200));
    assertRejected("--batch must be at least 1, got 0",
        () -> new TrainConfig(8, 1, 100, 0, 0.001f, 5, 10, 0, 0, 42, 0.1, false, 200));
    assertRejected("--lr must be a positive number, got NaN",
        () -> new TrainConfig(8, 1, 100, 1, Float.NaN, 5, 10, 0, 0, 42, 0.1, false, 200));
    assertRejected("--lr must be a positive number, got 0.0",
        () -> new TrainConfig(8, 1, 100, 1, 0f, 5, 10, 0, 0, 42, 0.1, false, 200));
    assertRejected("--clip must be a positive number, got Infinity",
        () -> new TrainConfig(8, 1, 100, 1, 0.001f, Double.POSITIVE_INFINITY, 10, 0, 0, 42, 0.1, false, 200));
    assertRejected("--epochs must be at least 0, got -1",
        () -> new TrainConfig(8, 1, 100, 1, 0.001f, 5, -1, 0, 0, 42, 0.1, false, 200));
    assertRejected("--steps must be at least 0, got -1",
        () -> new TrainConfig(8, 1, 100, 1, 0.001f, 5, 10, -1, 0, 42, 0.1, false, 200));
    assertRejected("--minutes must be at least 0, got NaN",
        () -> new TrainConfig(8, 1, 100, 1, 0.001f, 5, 10, 0, Double.NaN, 42, 0.1, false, 200));
    assertRejected("--val-fraction must be in [0, 1), got 1.0",
        () -> new TrainConfig(8, 1, 100, 1, 0.001f, 5, 10, 0, 0, 42, 1, false, 200));
    assertRejected("sample length must be at least 0, got -1",
        () -> new TrainConfig(8, 1, 100, 1, 0.001f, 5, 10, 0, 0, 42, 0.1, false, -1));
  }

  @Test
  void needsAtLeastOneStoppingBound() {
    assertRejected("give at least one of --epochs, --steps or --minutes",
        () -> new TrainConfig(8, 1, 100, 1, 0.001f, 5, 0, 0, 0, 42, 0.1, false, 200));
  }

  private static void assertRejected(String message, Executable make) {
    assertEquals(message, assertThrows(IllegalArgumentException.class, make).getMessage());
  }
}
