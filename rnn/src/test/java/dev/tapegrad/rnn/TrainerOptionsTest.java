package dev.tapegrad.rnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.ops.CellKind;
import dev.tapegrad.rnn.LearningRateSchedule.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The trainer's options beyond the notebook: cells, dropout, stateful chunks, schedules, validation. */
class TrainerOptionsTest {

  private static final String TEXT = "the quick brown fox jumps over the lazy dog\n".repeat(4);

  /** Keeps every report, validations included. */
  static class Recorder extends TrainerTest.Recorder {
    final List<Trainer.ValidationReport> validations = new ArrayList<>();

    @Override
    public void onValidation(Trainer.ValidationReport report) {
      validations.add(report);
    }
  }

  private static TrainConfig.Builder small(CellKind cell) {
    return TrainConfig.builder().cell(cell).hidden(6).layers(2).dropout(0.25f).seq(5).batch(3).stateful(true)
        .learningRate(0.01f).schedule(new LearningRateSchedule(Kind.COSINE, 3)).weightDecay(0.01f).clip(1)
        .epochs(0).seed(5).valFraction(0.2).sampleLength(0);
  }

  /**
   * Everything new is part of the saved state: a stateful run with dropout, warm-up, cosine decay
   * and weight decay, stopped mid-epoch and resumed, ends bitwise where the uninterrupted run does.
   */
  @ParameterizedTest
  @EnumSource(CellKind.class)
  void resumedStatefulRunWithDropoutMatchesAnUninterruptedOneBitForBit(CellKind cell) {
    CharVocabulary vocab = CharVocabulary.fromText(TEXT, false);
    EncodedText.Split split = EncodedText.encode(vocab, TEXT).trainValidationSplit(0.2);
    TrainConfig full = small(cell).steps(17).build();

    CharModel straight = CharModel.create(cell, vocab.size(), 6, 2, new SplittableRandom(9));
    Trainer uninterrupted = Trainer.create(straight, vocab, split.train(), split.validation(), full);
    uninterrupted.run(new Recorder());

    // The first session has the same bound (the schedule's progress is measured against it) and
    // is stopped at step 7, as a signal would stop it.
    CharModel interrupted = CharModel.create(cell, vocab.size(), 6, 2, new SplittableRandom(9));
    Trainer first = Trainer.create(interrupted, vocab, split.train(), split.validation(), full);
    first.run(new Recorder() {
      @Override
      public void onStep(Trainer.StepReport report) {
        if (report.step() == 7) {
          first.requestStop();
        }
      }
    });
    assertEquals(7, first.step());
    TrainingState saved = first.state(0);
    assertFalse(saved.carried().isEmpty(), "step 7 is mid-epoch, so rows carry their state");
    assertEquals(cell == CellKind.LSTM ? 4 : 2, saved.carried().size());
    Trainer second = Trainer.resume(interrupted, vocab, split.train(), split.validation(), full, saved);
    second.run(new Recorder());

    TrainingState expected = uninterrupted.state(0);
    TrainingState actual = second.state(0);
    assertEquals(expected.randomState(), actual.randomState());
    assertEquals(expected.dropoutRandomState(), actual.dropoutRandomState());
    assertEquals(expected.carried().size(), actual.carried().size());
    for (int i = 0; i < expected.carried().size(); i++) {
      assertArrayEquals(expected.carried().get(i).data(), actual.carried().get(i).data(), "carried " + i);
    }
    assertArrayEquals(TrainerTest.flatten(straight), TrainerTest.flatten(interrupted));
  }

  /** The rate each step used is the base rate times the schedule's factor at that step's progress. */
  @Test
  void eachStepUsesTheScheduledLearningRate() {
    CharVocabulary vocab = CharVocabulary.fromText(TEXT, false);
    EncodedText.Split split = EncodedText.encode(vocab, TEXT).trainValidationSplit(0);
    TrainConfig config = small(CellKind.GRU).layers(1).dropout(0).valFraction(0).steps(20).build();
    CharModel model = CharModel.create(vocab.size(), 6, 1, new SplittableRandom(1));
    Recorder recorder = new Recorder();
    Trainer.create(model, vocab, split.train(), split.validation(), config).run(recorder);
    assertEquals(20, recorder.steps.size());
    for (Trainer.StepReport r : recorder.steps) {
      long s = r.step() - 1;
      assertEquals(config.learningRate() * config.schedule().factor(s, s / 20.0), r.learningRate(), "step " + r.step());
    }
    // warm-up: 1/3, 2/3, then the cosine
    assertEquals(0.01 / 3, recorder.steps.get(0).learningRate(), 1e-6);
    assertEquals(0.01 * (0.1 + 0.9 * (1 + Math.cos(Math.PI * 10 / 20.0)) / 2), recorder.steps.get(10).learningRate(),
        1e-6);
  }

  /**
   * Validation runs every evalEvery steps and at each epoch's end, once when both fall on a step;
   * "improved" marks exactly the new minima, which the listener saves as the best model.
   */
  @Test
  void validatesOnScheduleAndMarksEachNewBest() {
    CharVocabulary vocab = CharVocabulary.fromText(TEXT, false);
    EncodedText.Split split = EncodedText.encode(vocab, TEXT).trainValidationSplit(0.2);
    TrainConfig config = small(CellKind.GRU).evalEvery(4).steps(30).build();
    CharModel model = CharModel.create(vocab.size(), 6, 2, new SplittableRandom(1));
    Trainer trainer = Trainer.create(model, vocab, split.train(), split.validation(), config);
    Recorder recorder = new Recorder();
    trainer.run(recorder);

    long perEpoch = trainer.stepsPerEpoch();
    List<Long> expectedSteps = new ArrayList<>();
    for (long s = 1; s <= 30; s++) {
      if (s % 4 == 0 || s % perEpoch == 0) {
        expectedSteps.add(s);
      }
    }
    assertEquals(expectedSteps, recorder.validations.stream().map(Trainer.ValidationReport::step).toList());
    double best = Double.POSITIVE_INFINITY;
    int since = 0;
    for (Trainer.ValidationReport v : recorder.validations) {
      boolean isNewBest = v.valLoss() < best;
      assertEquals(isNewBest, v.improved(), "step " + v.step());
      best = Math.min(best, v.valLoss());
      since = isNewBest ? 0 : since + 1;
      assertEquals(best, v.bestValLoss());
      assertEquals(since, v.evalsSinceBest());
    }
    assertTrue(recorder.validations.stream().anyMatch(Trainer.ValidationReport::improved));
    assertEquals(best, trainer.state(0).bestValLoss());
  }

  /**
   * Early stopping: trained on "abc…" and validated on the reversed pattern "acb…", the model gets
   * worse at the validation text as it learns, so patience 2 ends the run right after the second
   * measurement in a row without a new best.
   */
  @Test
  void patienceStopsTheRunAfterThatManyMeasurementsWithoutANewBest() {
    String train = "abc".repeat(60);
    String validation = "acb".repeat(10);
    CharVocabulary vocab = CharVocabulary.fromText(train, false);
    TrainConfig config = TrainConfig.builder().hidden(8).seq(6).batch(2).learningRate(0.05f).epochs(0).steps(400)
        .evalEvery(5).patience(2).seed(3).sampleLength(0).build();
    CharModel model = CharModel.create(vocab.size(), 8, 1, new SplittableRandom(2));
    Trainer trainer = Trainer.create(model, vocab, EncodedText.encode(vocab, train),
        EncodedText.encode(vocab, validation), config);
    Recorder recorder = new Recorder();
    trainer.run(recorder);

    assertTrue(trainer.stoppedEarly());
    assertTrue(trainer.step() < 400, "stopped before the step bound");
    List<Trainer.ValidationReport> v = recorder.validations;
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
