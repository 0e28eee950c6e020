package dev.tapegrad.rnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tapegrad.ops.CellKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class TrainConfigTest {

  @Test
  void theBuildersDefaultsAreTheNotebooksSettings() {
    TrainConfig c = TrainConfig.builder().build();
    assertEquals(CellKind.GRU, c.cell());
    assertEquals(512, c.hidden());
    assertEquals(1, c.layers());
    assertEquals(100, c.seq());
    assertEquals(1, c.batch());
    assertEquals(0.001f, c.learningRate());
    assertEquals(LearningRateSchedule.CONSTANT, c.schedule());
    assertEquals(0f, c.weightDecay());
    assertEquals(0f, c.dropout());
    assertEquals(false, c.stateful());
    assertEquals(10, c.epochs());
    assertEquals(c, c.toBuilder().build());
  }

  @Test
  void rejectsEachBadSettingNamingItsFlag() {
    assertRejected("--hidden must be at least 1, got 0", () -> TrainConfig.builder().hidden(0).build());
    assertRejected("--layers must be at least 1, got 0", () -> TrainConfig.builder().layers(0).build());
    assertRejected("--seq must be at least 1, got -3", () -> TrainConfig.builder().seq(-3).build());
    assertRejected("--batch must be at least 1, got 0", () -> TrainConfig.builder().batch(0).build());
    assertRejected("--lr must be a positive number, got NaN", () -> TrainConfig.builder().learningRate(Float.NaN).build());
    assertRejected("--lr must be a positive number, got 0.0", () -> TrainConfig.builder().learningRate(0f).build());
    assertRejected("--clip must be a positive number, got Infinity",
        () -> TrainConfig.builder().clip(Double.POSITIVE_INFINITY).build());
    assertRejected("--epochs must be at least 0, got -1", () -> TrainConfig.builder().epochs(-1).build());
    assertRejected("--steps must be at least 0, got -1", () -> TrainConfig.builder().steps(-1).build());
    assertRejected("--minutes must be at least 0, got NaN", () -> TrainConfig.builder().minutes(Double.NaN).build());
    assertRejected("--val-fraction must be in [0, 1), got 1.0", () -> TrainConfig.builder().valFraction(1).build());
    assertRejected("--sample-length must be at least 0, got -1", () -> TrainConfig.builder().sampleLength(-1).build());
    assertRejected("--dropout must be in [0, 1), got 1.0", () -> TrainConfig.builder().layers(2).dropout(1f).build());
    assertRejected("--dropout 0.2 acts between layers, so it needs --layers 2 or more",
        () -> TrainConfig.builder().dropout(0.2f).build());
    assertRejected("--weight-decay must be at least 0, got -0.1", () -> TrainConfig.builder().weightDecay(-0.1f).build());
    assertRejected("--eval-every must be at least 0 (0: only at each epoch's end), got -5",
        () -> TrainConfig.builder().evalEvery(-5).build());
    assertRejected("--patience must be at least 0 (0: never stop early), got -1",
        () -> TrainConfig.builder().patience(-1).build());
    assertRejected("--patience needs a validation text (--val-fraction above 0)",
        () -> TrainConfig.builder().patience(3).valFraction(0).build());
  }

  @Test
  void needsAtLeastOneStoppingBound() {
    assertRejected("give at least one of --epochs, --steps or --minutes", () -> TrainConfig.builder().epochs(0).build());
  }

  private static void assertRejected(String message, Executable make) {
    assertEquals(message, assertThrows(IllegalArgumentException.class, make).getMessage());
  }
}
