package dev.tapegrad.rnn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.autograd.Variable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TrainerTest {

  private static final String HELLO = "hello world\n";

  @Test
  void chunkGivesInputsAndTargetsShiftedByOne() {
    String text = "abcdefghij";
    EncodedText encoded = EncodedText.encode(CharVocabulary.fromText(text, false), text);
    int[] inputs = new int[9];
    int[] targets = new int[9];
    Trainer.chunk(encoded, 2, 4, inputs, targets, 0);
    Trainer.chunk(encoded, 5, 4, inputs, targets, 4);
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
    Trainer.chunk(encoded, 2, 3, inputs, targets, 0);
    assertEquals("b😀c", vocab.decode(inputs));
    assertEquals("😀cd", vocab.decode(targets));
  }

  @Test
  void trainingOnARepetitiveTextDrivesTheLossNearZero() {
    String text = HELLO.repeat(40);
    CharVocabulary vocab = CharVocabulary.fromText(text, false);
    EncodedText.Split split = EncodedText.encode(vocab, text).trainValidationSplit(0.1);
    CharModel model = CharModel.create(vocab.size(), 16, 1, new SplittableRandom(7));
    TrainConfig config = TrainConfig.builder().hidden(16).layers(1).seq(24).batch(8)
        .learningRate(0.03f).clip(5.0).epochs(0).steps(120).minutes(0).seed(7).valFraction(0.1).lowercase(false).sampleLength(23).build();
    Recorder recorder = new Recorder();

    Trainer.EpochReport end = Trainer.create(model, vocab, split.train(), split.validation(), config).run(recorder);

    double uniform = Math.log(vocab.size());
    assertTrue(recorder.steps.get(0).loss() > 0.8 * uniform,
        "an untrained model is about as unsure as a uniform guess: " + recorder.steps.get(0).loss() + " vs " + uniform);
    assertTrue(end.trainLoss() < 0.1, "final training loss " + end.trainLoss());
    assertTrue(end.trainLoss() < uniform / 20, "final training loss " + end.trainLoss() + " vs ln V " + uniform);
    assertTrue(end.valLoss() < 0.1, "validation loss " + end.valLoss());
    // The greedy sample primed with the text's first character continues it exactly.
    assertEquals("h" + (HELLO + HELLO).substring(1, 24), end.sample());
  }

  @Test
  void reportsCountStepsAndEpochsConsistently() {
    String text = "the quick brown fox jumps over the lazy dog\n".repeat(3);
    CharVocabulary vocab = CharVocabulary.fromText(text, false);
    EncodedText.Split split = EncodedText.encode(vocab, text).trainValidationSplit(0.2);
    int trainChars = split.train().length();
    int seq = 7;
    int batch = 3;
    long stepsPerEpoch = (trainChars + seq * batch - 1) / (seq * batch);
    assertEquals(106, trainChars);
    assertEquals(6, stepsPerEpoch);
    CharModel model = CharModel.create(vocab.size(), 8, 1, new SplittableRandom(1));
    TrainConfig config = TrainConfig.builder().hidden(8).layers(1).seq(seq).batch(batch)
        .learningRate(0.01f).clip(5.0).epochs(0).steps(20).minutes(0).seed(3).valFraction(0.2).lowercase(false).sampleLength(5).build();
    Trainer trainer = Trainer.create(model, vocab, split.train(), split.validation(), config);
    assertEquals(stepsPerEpoch, trainer.stepsPerEpoch());
    Recorder recorder = new Recorder();

    Trainer.EpochReport end = trainer.run(recorder);

    assertEquals(20, recorder.steps.size());
    double lastFraction = 0;
    for (int i = 0; i < recorder.steps.size(); i++) {
      Trainer.StepReport r = recorder.steps.get(i);
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
    assertEquals(4, recorder.epochs.size());
    for (int e = 0; e < 3; e++) {
      Trainer.EpochReport r = recorder.epochs.get(e);
      assertFalse(r.endOfRun());
      assertEquals(e + 1, r.epoch());
      assertEquals((e + 1) * stepsPerEpoch, r.step());
      assertEquals(r.step() * seq * batch, r.chars());
      double meanLoss = recorder.steps.subList(e * 6, e * 6 + 6).stream()
          .mapToDouble(Trainer.StepReport::loss).average().orElseThrow();
      assertEquals(meanLoss, r.trainLoss(), 1e-9, "an epoch's training loss is the mean of its steps' losses");
      assertTrue(Double.isFinite(r.valLoss()), "validation loss " + r.valLoss());
      assertEquals(6, r.sample().codePointCount(0, r.sample().length()), "prime plus 5 sampled characters");
    }
    assertTrue(end.endOfRun());
    assertEquals(end, recorder.epochs.get(3));
    assertEquals(3, end.epoch());
    assertEquals(20, end.step());
    assertEquals(20 * seq * batch, end.chars());
    assertEquals((recorder.steps.get(18).loss() + recorder.steps.get(19).loss()) / 2, end.trainLoss(), 1e-9);
    assertTrue(Double.isFinite(end.valLoss()));
    assertEquals(20, trainer.step());
    assertEquals(3, trainer.epoch());
  }

  @Test
  void runEndingOnAnEpochBoundaryRepeatsThatEpochAsTheEndRecord() {
    String text = "abcd".repeat(10);
    CharVocabulary vocab = CharVocabulary.fromText(text, false);
    EncodedText.Split split = EncodedText.encode(vocab, text).trainValidationSplit(0.1);
    CharModel model = CharModel.create(vocab.size(), 8, 1, new SplittableRandom(1));
    // 36 training characters, 12 per step: 3 steps per epoch, 2 epochs.
    TrainConfig config = TrainConfig.builder().hidden(8).layers(1).seq(4).batch(3)
        .learningRate(0.01f).clip(5.0).epochs(2).steps(0).minutes(0).seed(3).valFraction(0.1).lowercase(false).sampleLength(0).build();
    Recorder recorder = new Recorder();

    Trainer.create(model, vocab, split.train(), split.validation(), config).run(recorder);

    assertEquals(6, recorder.steps.size());
    assertEquals(3, recorder.epochs.size());
    Trainer.EpochReport second = recorder.epochs.get(1);
    Trainer.EpochReport end = recorder.epochs.get(2);
    assertEquals(List.of(2, 6L, false), List.of(second.epoch(), second.step(), second.endOfRun()));
    assertEquals(List.of(2, 6L, true), List.of(end.epoch(), end.step(), end.endOfRun()));
    assertEquals(second.trainLoss(), end.trainLoss());
    assertEquals(second.valLoss(), end.valLoss());
  }

  @Test
  void validationLossIsNaNWhenNothingIsHeldOut() {
    String text = "abcabcabcabcabcabc";
    CharVocabulary vocab = CharVocabulary.fromText(text, false);
    EncodedText.Split split = EncodedText.encode(vocab, text).trainValidationSplit(0);
    CharModel model = CharModel.create(vocab.size(), 4, 1, new SplittableRandom(1));
    TrainConfig config = TrainConfig.builder().hidden(4).layers(1).seq(5).batch(2)
        .learningRate(0.01f).clip(5.0).epochs(0).steps(3).minutes(0).seed(1).valFraction(0).lowercase(false).sampleLength(0).build();

    Trainer.EpochReport end = Trainer.create(model, vocab, split.train(), split.validation(), config).run(new Recorder());

    assertTrue(Double.isNaN(end.valLoss()));
    assertTrue(Double.isFinite(end.trainLoss()));
    assertEquals("", end.sample());
  }

  @Test
  void requestStopEndsTheRunAfterTheCurrentStep() {
    String text = "abcabcabcabcabcabc";
    CharVocabulary vocab = CharVocabulary.fromText(text, false);
    EncodedText.Split split = EncodedText.encode(vocab, text).trainValidationSplit(0);
    CharModel model = CharModel.create(vocab.size(), 4, 1, new SplittableRandom(1));
    TrainConfig config = TrainConfig.builder().hidden(4).layers(1).seq(5).batch(2)
        .learningRate(0.01f).clip(5.0).epochs(0).steps(1000).minutes(0).seed(1).valFraction(0).lowercase(false).sampleLength(0).build();
    Trainer trainer = Trainer.create(model, vocab, split.train(), split.validation(), config);
    Recorder recorder = new Recorder() {
      @Override
      public void onStep(Trainer.StepReport report) {
        super.onStep(report);
        if (report.step() == 4) {
          trainer.requestStop();
        }
      }
    };

    Trainer.EpochReport end = trainer.run(recorder);

    assertEquals(4, recorder.steps.size());
    assertEquals(4, end.step());
    assertTrue(end.endOfRun());
  }

  @Test
  void sameSeedGivesTheSameRun() {
    assertArrayEquals(trainedParameters(5, 11), trainedParameters(5, 11));
    assertFalse(java.util.Arrays.equals(trainedParameters(5, 11), trainedParameters(5, 12)),
        "another seed draws other chunks");
  }

  @Test
  void resumedRunMatchesAnUninterruptedRunBitForBit() {
    String text = "the quick brown fox jumps over the lazy dog\n".repeat(3);
    CharVocabulary vocab = CharVocabulary.fromText(text, false);
    EncodedText.Split split = EncodedText.encode(vocab, text).trainValidationSplit(0.2);

    CharModel straight = CharModel.create(vocab.size(), 8, 1, new SplittableRandom(9));
    Trainer.create(straight, vocab, split.train(), split.validation(), config(8)).run(new Recorder());

    CharModel interrupted = CharModel.create(vocab.size(), 8, 1, new SplittableRandom(9));
    Trainer first = Trainer.create(interrupted, vocab, split.train(), split.validation(), config(5));
    first.run(new Recorder());
    TrainingState state = first.state(1.5);
    Recorder resumed = new Recorder();
    Trainer second = Trainer.resume(interrupted, vocab, split.train(), split.validation(), config(8), state);
    assertEquals(5, second.step());
    second.run(resumed);

    assertEquals(List.of(6L, 7L, 8L), resumed.steps.stream().map(Trainer.StepReport::step).toList());
    assertTrue(resumed.steps.get(0).elapsedSeconds() >= 1.5, "elapsed time includes the earlier session");
    assertArrayEquals(flatten(straight), flatten(interrupted));
  }

  @Test
  void resumedRunEndsInTheSameOptimizerAndSamplerStateAsAnUninterruptedRun() {
    String text = "the quick brown fox jumps over the lazy dog\n".repeat(3);
    CharVocabulary vocab = CharVocabulary.fromText(text, false);
    EncodedText.Split split = EncodedText.encode(vocab, text).trainValidationSplit(0.2);
    // 6 steps per epoch: the first session stops mid-epoch at 5 (and measures the validation loss
    // there), the second crosses the epoch's end at 6 and stops mid-epoch at 9.
    CharModel straight = CharModel.create(vocab.size(), 8, 1, new SplittableRandom(9));
    Trainer uninterrupted = Trainer.create(straight, vocab, split.train(), split.validation(), config(9));
    uninterrupted.run(new Recorder());

    CharModel interrupted = CharModel.create(vocab.size(), 8, 1, new SplittableRandom(9));
    Trainer first = Trainer.create(interrupted, vocab, split.train(), split.validation(), config(5));
    Trainer.EpochReport firstEnd = first.run(new Recorder());
    assertTrue(Double.isFinite(firstEnd.valLoss()), "the end of a session measures the validation loss");
    Trainer second = Trainer.resume(interrupted, vocab, split.train(), split.validation(), config(9), first.state(0));
    second.run(new Recorder());

    TrainingState expected = uninterrupted.state(0);
    TrainingState actual = second.state(0);
    assertEquals(9, actual.step());
    assertEquals(expected.step(), actual.step());
    assertEquals(expected.randomState(), actual.randomState(), "the data order goes on where it stopped");
    assertTrue(Double.isFinite(expected.bestValLoss()), "an epoch ended at step 6");
    assertEquals(Double.doubleToRawLongBits(expected.bestValLoss()), Double.doubleToRawLongBits(actual.bestValLoss()),
        "only epoch ends count towards the best validation loss");
    for (int i = 0; i < expected.firstMoments().size(); i++) {
      assertArrayEquals(expected.firstMoments().get(i).data(), actual.firstMoments().get(i).data(), "m of " + i);
      assertArrayEquals(expected.secondMoments().get(i).data(), actual.secondMoments().get(i).data(), "v of " + i);
    }
    assertArrayEquals(flatten(straight), flatten(interrupted));
  }

  @Test
  void aNaNLossStopsTheRunBeforeTheUpdateTouchesWeightsMomentsOrTheDataOrder() {
    String text = "abcabcabcabcabcabcabcab";
    CharVocabulary vocab = CharVocabulary.fromText(text, false);
    EncodedText.Split split = EncodedText.encode(vocab, text).trainValidationSplit(0);
    CharModel model = CharModel.create(vocab.size(), 4, 1, new SplittableRandom(1));
    TrainConfig config = TrainConfig.builder().hidden(4).layers(1).seq(5).batch(2)
        .learningRate(0.01f).clip(5.0).epochs(0).steps(10).minutes(0).seed(1).valFraction(0).lowercase(false).sampleLength(0).build();
    Trainer trainer = Trainer.create(model, vocab, split.train(), split.validation(), config);
    float[][] weightsAfterStep2 = new float[1][];
    TrainingState[] stateAfterStep2 = new TrainingState[1];
    Recorder recorder = new Recorder() {
      @Override
      public void onStep(Trainer.StepReport report) {
        super.onStep(report);
        if (report.step() == 2) {
          // A NaN bias makes every following loss NaN; it stands for any numerical blow-up.
          model.namedParameters().get("decoder.bias").value().data()[1] = Float.NaN;
          weightsAfterStep2[0] = flatten(model);
          stateAfterStep2[0] = trainer.state(0);
        }
      }
    };

    TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> trainer.run(recorder));

    assertEquals(3, e.step());
    assertEquals("training diverged at step 3: the loss is NaN and the gradient norm NaN; stopped before the update, "
        + "so the weights are those of step 2", e.getMessage());
    assertEquals(2, recorder.steps.size(), "the diverged step is not reported as taken");
    assertEquals(2, trainer.step());
    assertArrayEquals(weightsAfterStep2[0], flatten(model), "no weight moved");
    TrainingState after = trainer.state(0);
    assertEquals(stateAfterStep2[0].randomState(), after.randomState(), "the diverged step's draw is undone");
    for (int i = 0; i < after.firstMoments().size(); i++) {
      assertArrayEquals(stateAfterStep2[0].firstMoments().get(i).data(), after.firstMoments().get(i).data());
      assertArrayEquals(stateAfterStep2[0].secondMoments().get(i).data(), after.secondMoments().get(i).data());
    }
  }

  @Test
  void anUpdateThatOverflowsTheWeightsStopsTheRun() {
    String text = "abcabcabcabcabcabcabcab";
    CharVocabulary vocab = CharVocabulary.fromText(text, false);
    EncodedText.Split split = EncodedText.encode(vocab, text).trainValidationSplit(0);
    CharModel model = CharModel.create(vocab.size(), 4, 1, new SplittableRandom(1));
    // Adam moves every weight by about lr per step: 3e38 overflows float's range at once.
    TrainConfig config = TrainConfig.builder().hidden(4).layers(1).seq(5).batch(2)
        .learningRate(3e38f).clip(5.0).epochs(0).steps(10).minutes(0).seed(1).valFraction(0).lowercase(false).sampleLength(0).build();
    Trainer trainer = Trainer.create(model, vocab, split.train(), split.validation(), config);

    TrainingDivergedException e = assertThrows(TrainingDivergedException.class, () -> trainer.run(new Recorder()));

    assertTrue(e.getMessage().startsWith("training diverged at step " + e.step() + ": "), e.getMessage());
    assertTrue(e.step() <= 2, "caught at step " + e.step());
    assertFalse(e.getMessage().contains("\n"));
  }

  @Test
  void aRunStoppedOnRequestEndsWithoutMeasuringValidationOrSampling() {
    String text = "the quick brown fox jumps over the lazy dog\n".repeat(3);
    CharVocabulary vocab = CharVocabulary.fromText(text, false);
    EncodedText.Split split = EncodedText.encode(vocab, text).trainValidationSplit(0.2);
    CharModel model = CharModel.create(vocab.size(), 8, 1, new SplittableRandom(9));
    TrainConfig config = TrainConfig.builder().hidden(8).layers(1).seq(7).batch(3)
        .learningRate(0.01f).clip(1.0).epochs(0).steps(100).minutes(0).seed(3).valFraction(0.2).lowercase(false).sampleLength(10).build();
    Trainer trainer = Trainer.create(model, vocab, split.train(), split.validation(), config);
    Recorder recorder = new Recorder() {
      @Override
      public void onStep(Trainer.StepReport report) {
        super.onStep(report);
        if (report.step() == 3) {
          trainer.requestStop();
        }
      }
    };

    Trainer.EpochReport end = trainer.run(recorder);

    assertEquals(3, end.step());
    assertTrue(end.endOfRun());
    assertTrue(Double.isNaN(end.valLoss()), "no validation pass delays the stop");
    assertEquals("", end.sample());
    assertTrue(Double.isFinite(end.trainLoss()));
  }

  @Test
  void rejectsATrainingTextShorterThanOneChunk() {
    String text = "abcdefgh";
    CharVocabulary vocab = CharVocabulary.fromText(text, false);
    EncodedText encoded = EncodedText.encode(vocab, text);
    CharModel model = CharModel.create(vocab.size(), 4, 1, new SplittableRandom(1));
    TrainConfig config = TrainConfig.builder().hidden(4).layers(1).seq(8).batch(1)
        .learningRate(0.01f).clip(5.0).epochs(1).steps(0).minutes(0).seed(1).valFraction(0).lowercase(false).sampleLength(0).build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Trainer.create(model, vocab, encoded, encoded.slice(0, 0), config));
    assertEquals("the training text has 8 characters; --seq 8 needs at least 9 (use a longer text or a smaller --seq)",
        e.getMessage());
  }

  @Test
  void rejectsAModelWhoseOutputsDoNotMatchTheVocabulary() {
    String text = "abcdefgh";
    CharVocabulary vocab = CharVocabulary.fromText(text, false);
    EncodedText encoded = EncodedText.encode(vocab, text);
    CharModel model = CharModel.create(5, 4, 1, new SplittableRandom(1));
    TrainConfig config = TrainConfig.builder().hidden(4).layers(1).seq(3).batch(1)
        .learningRate(0.01f).clip(5.0).epochs(1).steps(0).minutes(0).seed(1).valFraction(0).lowercase(false).sampleLength(0).build();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Trainer.create(model, vocab, encoded, encoded.slice(0, 0), config));
    assertEquals("model has 5 outputs but the vocabulary has 8 characters", e.getMessage());
  }

  private static TrainConfig config(long steps) {
    return TrainConfig.builder().hidden(8).layers(1).seq(7).batch(3)
        .learningRate(0.01f).clip(1.0).epochs(0).steps(steps).minutes(0).seed(3).valFraction(0.2).lowercase(false).sampleLength(0).build();
  }

  private static float[] trainedParameters(long steps, long seed) {
    String text = "abcabcabcabcabcabcabcab";
    CharVocabulary vocab = CharVocabulary.fromText(text, false);
    EncodedText.Split split = EncodedText.encode(vocab, text).trainValidationSplit(0);
    CharModel model = CharModel.create(vocab.size(), 4, 1, new SplittableRandom(1));
    TrainConfig config = TrainConfig.builder().hidden(4).layers(1).seq(5).batch(2)
        .learningRate(0.01f).clip(5.0).epochs(0).steps(steps).minutes(0).seed(seed).valFraction(0).lowercase(false).sampleLength(0).build();
    Trainer.create(model, vocab, split.train(), split.validation(), config).run(new Recorder());
    return flatten(model);
  }

  /** Every parameter value of the model, in state_dict order. */
  static float[] flatten(CharModel model) {
    Map<String, Variable> params = model.namedParameters();
    float[] all = new float[(int) model.parameterCount()];
    int at = 0;
    for (Variable v : params.values()) {
      float[] data = v.value().data();
      System.arraycopy(data, 0, all, at, data.length);
      at += data.length;
    }
    return all;
  }

  /** Keeps every report. */
  static class Recorder implements Trainer.Listener {
    final List<Trainer.StepReport> steps = new ArrayList<>();
    final List<Trainer.EpochReport> epochs = new ArrayList<>();

    @Override
    public void onStep(Trainer.StepReport report) {
      steps.add(report);
    }

    @Override
    public void onEpoch(Trainer.EpochReport report) {
      epochs.add(report);
    }
  }
}
