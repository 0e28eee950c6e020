package dev.tapegrad.rnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tapegrad.rnn.train.LearningRateSchedule.Kind;
import org.junit.jupiter.api.Test;

class LearningRateScheduleTest {

  @Test
  void constantIsOneEverywhere() {
    LearningRateSchedule s = LearningRateSchedule.CONSTANT;
    assertEquals(1.0, s.factor(0, 0));
    assertEquals(1.0, s.factor(12345, 0.7));
    assertEquals(1.0, s.factor(99, 1));
  }

  @Test
  void warmUpRisesLinearlyThenHolds() {
    LearningRateSchedule s = new LearningRateSchedule(Kind.CONSTANT, 4);
    assertEquals(0.25, s.factor(0, 0));
    assertEquals(0.5, s.factor(1, 0));
    assertEquals(0.75, s.factor(2, 0));
    assertEquals(1.0, s.factor(3, 0));
    assertEquals(1.0, s.factor(400, 0.5));
  }

  @Test
  void cosineFallsFromOneToTheFloorThroughTheMidpoint() {
    LearningRateSchedule s = new LearningRateSchedule(Kind.COSINE, 0);
    assertEquals(1.0, s.factor(0, 0), 1e-15);
    // halfway: floor + (1 - floor) / 2
    assertEquals(0.55, s.factor(50, 0.5), 1e-12);
    // a quarter: floor + (1 - floor)(1 + cos(pi/4))/2
    assertEquals(0.1 + 0.9 * (1 + Math.sqrt(0.5)) / 2, s.factor(25, 0.25), 1e-12);
    assertEquals(LearningRateSchedule.COSINE_FLOOR, s.factor(100, 1), 1e-15);
    assertEquals(LearningRateSchedule.COSINE_FLOOR, s.factor(100, 3), 1e-15, "progress is clamped to 1");
  }

  @Test
  void cosineMultipliesTheWarmUp() {
    LearningRateSchedule s = new LearningRateSchedule(Kind.COSINE, 10);
    assertEquals(0.1 * 0.55, s.factor(0, 0.5), 1e-12);
  }

  @Test
  void stepHalvesAtAThirdAndTwoThirds() {
    LearningRateSchedule s = new LearningRateSchedule(Kind.STEP, 0);
    assertEquals(1.0, s.factor(0, 0));
    assertEquals(1.0, s.factor(0, 0.33));
    assertEquals(0.5, s.factor(0, 0.34));
    assertEquals(0.5, s.factor(0, 0.66));
    assertEquals(0.25, s.factor(0, 0.67));
    assertEquals(0.25, s.factor(0, 1.0), "the end of the run stays at the last level");
  }

  @Test
  void parsesNamesAndRejectsOthers() {
    assertEquals(Kind.COSINE, Kind.parse("Cosine"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Kind.parse("linear"));
    assertEquals("unknown --schedule 'linear': choose constant, cosine or step", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new LearningRateSchedule(Kind.STEP, -1));
    assertEquals("--warmup must be at least 0 steps, got -1", e.getMessage());
  }
}
