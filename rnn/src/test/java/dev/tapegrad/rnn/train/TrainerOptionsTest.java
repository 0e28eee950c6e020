package dev.tapegrad.rnn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.ops.CellKind;
import dev.tapegrad.rnn.train.LearningRateSchedule.Kind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The trainer's options beyond the notebook: cells, dropout, stateful chunks, schedules, validation. */
class TrainerOptionsTest {

  private static final String TEXT = "the quick brown fox jumps over the lazy dog\n".repeat(4);

  private static TinyRun small(CellKind cell) {
    return TinyRun.of(TEXT).cell(cell).hidden(6).layers(2).dropout(0.25f).seq(5).batch(3).stateful(true)
        .learningRate(0.01f).schedule(new LearningRateSchedule(Kind.COSINE, 3)).weightDecay(0.01f).clip(1).seed(5)
        .valFraction(0.2);
  }

  /**
   * Everything new is part of the saved state: a stateful run with dropout, warm-up, cosine decay
   * and weight decay, stopped mid-epoch and resumed, ends bitwise where the uninterrupted run does.
   */
  @ParameterizedTest
  @EnumSource(CellKind.class)
  void resumedStatefulRunWithDropoutMatchesAnUninterruptedOneBitForBit(CellKind cell) {
    TinyRun uninterrupted = small(cell).modelSeed(9).steps(17);
    uninterrupted.train();

    // The first session has the same bound (the schedule's progress is measured against it) and
    // is stopped at step 7, as a signal would stop it.
    TinyRun first = small(cell).modelSeed(9).steps(17).stopAt(7);
    first.train();
    assertEquals(7, first.trainer().step());
    TrainingState saved = first.state();
    assertFalse(saved.carried().isEmpty(), "step 7 is mid-epoch, so rows carry their state");
    assertEquals(cell == CellKind.LSTM ? 4 : 2, saved.carried().size());
    TinyRun second = first.resume(saved);
    second.train();

    TrainingState expected = uninterrupted.state();
    TrainingState actual = second.state();
    assertEquals(expected.randomState(), actual.randomState());
    assertEquals(expected.dropoutRandomState(), actual.dropoutRandomState());
    assertEquals(expected.carried().size(), actual.carried().size());
    for (int i = 0; i < expected.carried().size(); i++) {
      assertArrayEquals(expected.carried().get(i).storage(), actual.carried().get(i).storage(), "carried " + i);
    }
    assertArrayEquals(uninterrupted.weights(), second.weights());
  }

  /** The rate each step used is the base rate times the schedule's factor at that step's progress. */
  @Test
  void eachStepUsesTheScheduledLearningRate() {
    TinyRun run = small(CellKind.GRU).layers(1).dropout(0).valFraction(0).steps(20);
    TrainConfig config = run.config();
    run.train();
    assertEquals(20, run.steps().size());
    for (StepReport r : run.steps()) {
      long s = r.step() - 1;
      assertEquals(config.learningRate() * config.schedule().factor(s, s / 20.0), r.learningRate(), "step " + r.step());
    }
    // warm-up: 1/3, 2/3, then the cosine
    assertEquals(0.01 / 3, run.steps().get(0).learningRate(), 1e-6);
    assertEquals(0.01 * (0.1 + 0.9 * (1 + Math.cos(Math.PI * 10 / 20.0)) / 2), run.steps().get(10).learningRate(),
        1e-6);
  }

  /**
   * Validation runs every evalEvery steps and at each epoch's end, once when both fall on a step;
   * "improved" marks exactly the new minima, which the listener saves as the best model.
   */
  @Test
  void validatesOnScheduleAndMarksEachNewBest() {
    TinyRun run = small(CellKind.GRU).evalEvery(4).steps(30);
    run.train();

    long perEpoch = run.trainer().stepsPerEpoch();
    List<Long> expectedSteps = new ArrayList<>();
    for (long s = 1; s <= 30; s++) {
      if (s % 4 == 0 || s % perEpoch == 0) {
        expectedSteps.add(s);
      }
    }
    assertEquals(expectedSteps, run.validations().stream().map(ValidationReport::step).toList());
    double best = Double.POSITIVE_INFINITY;
    int since = 0;
    for (ValidationReport v : run.validations()) {
      boolean isNewBest = v.valLoss() < best;
      assertEquals(isNewBest, v.improved(), "step " + v.step());
      best = Math.min(best, v.valLoss());
      since = isNewBest ? 0 : since + 1;
      assertEquals(best, v.bestValLoss());
      assertEquals(since, v.evalsSinceBest());
    }
    assertTrue(run.validations().stream().anyMatch(ValidationReport::improved));
    assertEquals(best, run.state().bestValLoss());
  }

  /**
   * Early stopping: trained on "abc…" and validated on the reversed pattern "acb…", the model gets
   * worse at the validation text as it learns, so patience 2 ends the run right after the second
   * measurement in a row without a new best.
   */
  @Test
  void patienceStopsTheRunAfterThatManyMeasurementsWithoutANewBest() {
    TinyRun run = TinyRun.of("abc".repeat(60)).validatedOn("acb".repeat(10)).hidden(8).modelSeed(2).seq(6).batch(2)
        .learningRate(0.05f).steps(400).evalEvery(5).patience(2).seed(3);
    run.train();

    Trainer trainer = run.trainer();
    assertTrue(trainer.stoppedEarly());
    assertTrue(trainer.step() < 400, "stopped before the step bound");
    List<ValidationReport> v = run.validations();
    int n = v.size();
    assertEquals(trainer.step(), v.get(n - 1).step(), "the run stops at the measurement that runs out of patience");
    assertFalse(v.get(n - 1).improved());
    assertFalse(v.get(n - 2).improved());
    assertEquals(2, v.get(n - 1).evalsSinceBest());
    for (int i = 0; i < n - 1; i++) {
      assertTrue(v.get(i).evalsSinceBest() < 2, "no earlier measurement ran out of patience");
    }
  }
}
