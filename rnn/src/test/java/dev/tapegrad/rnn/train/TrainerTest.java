package dev.tapegrad.rnn.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.rnn.CharModel;
import dev.tapegrad.rnn.text.CharVocabulary;
import dev.tapegrad.rnn.text.EncodedText;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TrainerTest {

  private static final String HELLO = "hello world\n";
  private static final String FOX = "the quick brown fox jumps over the lazy dog\n".repeat(3);

  @Test
  void chunkGivesInputsAndTargetsShiftedByOne() {
    String text = "abcdefghij";
    EncodedText encoded = EncodedText.encode(CharVocabulary.fromText(text, false), text);
    int[] inputs = new int[9];
    int[] targets = new int[9];
    encoded.chunk(2, 4, inputs, targets, 0);
    encoded.chunk(5, 4, inputs, targets, 4);
    // ids equal positions here: 'a' is 0, 'b' is 1, ...
    assertArrayEquals(new int[] {2, 3, 4, 5, 5, 6, 7, 8, 0}, inputs);
    assertArrayEquals(new int[] {3, 4, 5, 6, 6, 7, 8, 9, 0}, targets);
  }

  @Test
  void chunkAtTheLastStartReachesTheLastCharacter() {
    String text = "😀ab😀cd";
    CharVocabulary vocab = CharVocabulary.fromText(text, false);
    EncodedText encoded = EncodedText.encode(vocab, text);
    int[] inputs = new int[3];
    int[] targets = new int[3];
    encoded.chunk(2, 3, inputs, targets, 0);
    assertEquals("b😀c", vocab.decode(inputs));
    assertEquals("😀cd", vocab.decode(targets));
  }

  @Test
  void trainingOnARepetitiveTextDrivesTheLossNearZero() {
    TinyRun run = TinyRun.of(HELLO.repeat(40)).hidden(16).modelSeed(7).seq(24).batch(8).learningRate(0.03f).steps(120)
        .seed(7).sampleLength(23);

    EpochReport end = run.train();

    double uniform = Math.log(run.vocab().size());
    assertTrue(run.steps().get(0).loss() > 0.8 * uniform,
        "an untrained model is about as unsure as a uniform guess: " + run.steps().get(0).loss() + " vs " + uniform);
    assertTrue(end.trainLoss() < 0.1, "final training loss " + end.trainLoss());
    assertTrue(end.trainLoss() < uniform / 20, "final training loss " + end.trainLoss() + " vs ln V " + uniform);
    assertTrue(end.valLoss() < 0.1, "validation loss " + end.valLoss());
    // The sample is drawn as `sample` draws it: from a newline, at temperature 0.75, which a model this sure of
    // itself continues exactly.
    assertEquals("\n" + (HELLO + HELLO).substring(0, 23), end.sample());
  }

  @Test
  void reportsCountStepsAndEpochsConsistently() {
    int seq = 7;
    int batch = 3;
    TinyRun run = TinyRun.of(FOX).hidden(8).seq(seq).batch(batch).steps(20).seed(3).valFraction(0.2).sampleLength(5);
    int trainChars = run.texts().train().length();
    long stepsPerEpoch = (trainChars + seq * batch - 1) / (seq * batch);
    assertEquals(106, trainChars);
    assertEquals(6, stepsPerEpoch);
    Trainer trainer = run.trainer();
    assertEquals(stepsPerEpoch, trainer.stepsPerEpoch());

    EpochReport end = run.train();

    assertEquals(20, run.steps().size());
    double lastFraction = 0;
    for (int i = 0; i < run.steps().size(); i++) {
      StepReport r = run.steps().get(i);
      long step = i + 1;
      assertEquals(step, r.step());
      assertEquals((step + stepsPerEpoch - 1) / stepsPerEpoch, r.epoch(), "epoch in progress at step " + step);
      assertEquals(step * seq * batch, r.chars());
      assertTrue(Double.isFinite(r.loss()) && r.loss() > 0, "loss " + r.loss());
      assertTrue(r.fractionDone() >= lastFraction, "fraction done never goes back");
      lastFraction = r.fractionDone();
    }
    assertEquals(1.0, lastFraction);

    // Epochs end at steps 6, 12 and 18, then the run ends at step 20 mid-epoch.
    assertEquals(4, run.epochs().size());
    for (int e = 0; e < 3; e++) {
      EpochReport r = run.epochs().get(e);
      assertFalse(r.endOfRun());
      assertEquals(e + 1, r.epoch());
      assertEquals((e + 1) * stepsPerEpoch, r.step());
      assertEquals(r.step() * seq * batch, r.chars());
      double meanLoss = run.steps().subList(e * 6, e * 6 + 6).stream()
          .mapToDouble(StepReport::loss).average().orElseThrow();
      assertEquals(meanLoss, r.trainLoss(), 1e-9, "an epoch's training loss is the mean of its steps' losses");
      assertTrue(Double.isFinite(r.valLoss()), "validation loss " + r.valLoss());
      assertEquals(6, r.sample().codePointCount(0, r.sample().length()), "prime plus 5 sampled characters");
    }
    assertTrue(end.endOfRun());
    assertEquals(end, run.epochs().get(3));
    assertEquals(4, end.epoch(), "the epoch its last step belongs to, as the progress line shows it");
    assertEquals(20, end.step());
    assertEquals(20 * seq * batch, end.chars());
    assertEquals((run.steps().get(18).loss() + run.steps().get(19).loss()) / 2, end.trainLoss(), 1e-9);
    assertTrue(Double.isFinite(end.valLoss()));
    assertEquals(20, trainer.step());
    assertEquals(3, trainer.epoch());
  }

  @Test
  void runEndingOnAnEpochBoundaryRepeatsThatEpochAsTheEndRecord() {
    // 36 training characters, 12 per step: 3 steps per epoch, 2 epochs.
    TinyRun run = TinyRun.of("abcd".repeat(10)).hidden(8).seq(4).batch(3).epochs(2).seed(3);

    run.train();

    assertEquals(6, run.steps().size());
    assertEquals(3, run.epochs().size());
    EpochReport second = run.epochs().get(1);
    EpochReport end = run.epochs().get(2);
    assertEquals(List.of(2, 6L, false), List.of(second.epoch(), second.step(), second.endOfRun()));
    assertEquals(List.of(2, 6L, true), List.of(end.epoch(), end.step(), end.endOfRun()));
    assertEquals(second.trainLoss(), end.trainLoss());
    assertEquals(second.valLoss(), end.valLoss());
  }

  @Test
  void validationLossIsNaNWhenNothingIsHeldOut() {
    EpochReport end = TinyRun.of("abc".repeat(6)).valFraction(0).steps(3).train();

    assertTrue(Double.isNaN(end.valLoss()));
    assertTrue(Double.isFinite(end.trainLoss()));
    assertEquals("", end.sample());
  }

  @Test
  void requestStopEndsTheRunAfterTheCurrentStep() {
    TinyRun run = TinyRun.of("abc".repeat(6)).valFraction(0).steps(1000).stopAt(4);

    EpochReport end = run.train();

    assertEquals(4, run.steps().size());
    assertEquals(4, end.step());
    assertTrue(end.endOfRun());
  }

  @Test
  void sameSeedGivesTheSameRun() {
    assertArrayEquals(trainedParameters(5, 11), trainedParameters(5, 11));
    assertFalse(Arrays.equals(trainedParameters(5, 11), trainedParameters(5, 12)),
        "another seed draws other chunks");
  }

  @Test
  void withAConstantRateARunExtendedOnResumeMatchesTheLongerRunBitForBit() {
    TinyRun straight = fox(8);
    straight.train();

    TinyRun first = fox(5);
    first.train();
    TinyRun second = first.resume(first.trainer().state(1.5)).steps(8);
    assertEquals(5, second.trainer().step());
    second.train();

    assertEquals(List.of(6L, 7L, 8L), second.steps().stream().map(StepReport::step).toList());
    assertTrue(second.steps().get(0).elapsedSeconds() >= 1.5, "elapsed time includes the earlier session");
    assertArrayEquals(straight.weights(), second.weights());
  }

  @Test
  void withACosineScheduleARunStoppedAndResumedWithItsBoundMatchesAnUninterruptedOne() {
    // the README's promise: a run stopped (Ctrl-C, or killed after a save) and resumed with the same
    // bound is the uninterrupted run, whatever the schedule
    TinyRun straight = fox(8).schedule(COSINE);
    straight.train();

    TinyRun first = fox(8).schedule(COSINE).stopAt(5);
    first.train();
    assertEquals(5, first.trainer().step());
    TinyRun second = first.resume(first.state());
    second.train();

    assertEquals(8, second.trainer().step());
    assertArrayEquals(straight.weights(), second.weights());
  }

  @Test
  void withACosineScheduleARunExtendedOnResumeIsNotTheLongerRun() {
    // ...and what it does not promise: the cosine follows the run's bound, so steps 1-5 of a run of 5
    // took other rates than steps 1-5 of a run of 8 (with a constant rate the two are the same run:
    // withAConstantRateARunExtendedOnResumeMatchesTheLongerRunBitForBit)
    TinyRun straight = fox(8).schedule(COSINE);
    straight.train();

    TinyRun first = fox(5).schedule(COSINE);
    first.train();
    TinyRun extended = first.resume(first.state()).steps(8);
    extended.train();

    assertEquals(8, extended.trainer().step());
    assertFalse(Arrays.equals(straight.weights(), extended.weights()));
  }

  @Test
  void resumedRunEndsInTheSameOptimizerAndSamplerStateAsAnUninterruptedRun() {
    // 6 steps per epoch: the first session stops mid-epoch at 5 (and measures the validation loss
    // there), the second crosses the epoch's end at 6 and stops mid-epoch at 9.
    TinyRun uninterrupted = fox(9);
    uninterrupted.train();

    TinyRun first = fox(5);
    EpochReport firstEnd = first.train();
    assertTrue(Double.isFinite(firstEnd.valLoss()), "the end of a session measures the validation loss");
    TinyRun second = first.resume(first.state()).steps(9);
    second.train();

    TrainingState expected = uninterrupted.state();
    TrainingState actual = second.state();
    assertEquals(9, actual.step());
    assertEquals(expected.step(), actual.step());
    assertEquals(expected.randomState(), actual.randomState(), "the data order goes on where it stopped");
    assertTrue(Double.isFinite(expected.bestValLoss()), "an epoch ended at step 6");
    assertEquals(Double.doubleToRawLongBits(expected.bestValLoss()), Double.doubleToRawLongBits(actual.bestValLoss()),
        "only epoch ends count towards the best validation loss");
    for (String name : expected.firstMoments().keySet()) {
      assertArrayEquals(expected.firstMoments().get(name).storage(), actual.firstMoments().get(name).storage(),
          "m of " + name);
      assertArrayEquals(expected.secondMoments().get(name).storage(), actual.secondMoments().get(name).storage(),
          "v of " + name);
    }
    assertArrayEquals(uninterrupted.weights(), second.weights());
  }

  @Test
  void aNaNLossStopsTheRunBeforeTheUpdateTouchesWeightsMomentsOrTheDataOrder() {
    TinyRun run = TinyRun.of("abc".repeat(7) + "ab").valFraction(0).steps(10);
    float[][] weightsAfterStep2 = new float[1][];
    TrainingState[] stateAfterStep2 = new TrainingState[1];
    run.atStep(2, () -> {
      // A NaN bias makes every following loss NaN; it stands for any numerical blow-up.
      run.model().namedParameters().get("decoder.bias").value().storage()[1] = Float.NaN;
      weightsAfterStep2[0] = run.weights();
      stateAfterStep2[0] = run.state();
    });

    TrainingDivergedException e = assertThrows(TrainingDivergedException.class, run::train);

    assertEquals(3, e.step());
    assertEquals("training diverged at step 3: the loss is NaN and the gradient norm NaN; stopped before the update, "
        + "so the weights are those of step 2", e.getMessage());
    assertEquals(2, run.steps().size(), "the diverged step is not reported as taken");
    assertEquals(2, run.trainer().step());
    assertArrayEquals(weightsAfterStep2[0], run.weights(), "no weight moved");
    TrainingState after = run.state();
    assertEquals(stateAfterStep2[0].randomState(), after.randomState(), "the diverged step's draw is undone");
    for (String name : after.firstMoments().keySet()) {
      assertArrayEquals(stateAfterStep2[0].firstMoments().get(name).storage(), after.firstMoments().get(name).storage());
      assertArrayEquals(stateAfterStep2[0].secondMoments().get(name).storage(), after.secondMoments().get(name).storage());
    }
  }

  @Test
  void anUpdateThatOverflowsTheWeightsStopsTheRun() {
    // Adam moves every weight by about lr per step: 3e38 overflows float's range at once.
    TinyRun run = TinyRun.of("abc".repeat(7) + "ab").valFraction(0).steps(10).learningRate(3e38f);

    TrainingDivergedException e = assertThrows(TrainingDivergedException.class, run::train);

    assertTrue(e.getMessage().startsWith("training diverged at step " + e.step() + ": "), e.getMessage());
    assertTrue(e.step() <= 2, "caught at step " + e.step());
    assertFalse(e.getMessage().contains("\n"));
  }

  @Test
  void aRunStoppedOnRequestEndsWithoutMeasuringValidationOrSampling() {
    EpochReport end = fox(100).sampleLength(10).stopAt(3).train();

    assertEquals(3, end.step());
    assertTrue(end.endOfRun());
    assertTrue(Double.isNaN(end.valLoss()), "no validation pass delays the stop");
    assertEquals("", end.sample());
    assertTrue(Double.isFinite(end.trainLoss()));
  }

  @Test
  void rejectsATrainingTextShorterThanOneChunk() {
    TinyRun run = TinyRun.of("abcdefgh").valFraction(0).seq(8).batch(1).epochs(1);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, run::trainer);
    assertEquals("the training text has 8 characters; --seq 8 needs at least 9 (use a longer text or a smaller --seq)",
        e.getMessage());
  }

  @Test
  void rejectsAModelWhoseOutputsDoNotMatchTheVocabulary() {
    TinyRun run = TinyRun.of("abcdefgh").valFraction(0).seq(3).batch(1).epochs(1);
    CharModel model = CharModel.create(5, 4, 1, new SplittableRandom(1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Trainer.create(model, run.vocab(), run.texts().train(), run.texts().validation(), run.config()));
    assertEquals("model has 5 outputs but the vocabulary has 8 characters", e.getMessage());
  }

  /** The run that the resume tests interrupt: 6 steps per epoch, validated at each epoch's end. */
  /** The cosine decay of {@code train --data}, with a warm-up of 2 steps. */
  private static final LearningRateSchedule COSINE = new LearningRateSchedule(LearningRateSchedule.Kind.COSINE, 2);

  private static TinyRun fox(long steps) {
    return TinyRun.of(FOX).hidden(8).modelSeed(9).seq(7).batch(3).clip(1.0).steps(steps).seed(3).valFraction(0.2);
  }

  private static float[] trainedParameters(long steps, long seed) {
    TinyRun run = TinyRun.of("abc".repeat(7) + "ab").valFraction(0).steps(steps).seed(seed);
    run.train();
    return run.weights();
  }
}
