package dev.tapegrad.rnn.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.io.Json;
import dev.tapegrad.io.Safetensors;
import dev.tapegrad.io.SafetensorsFormatException;
import dev.tapegrad.nn.Implementation;
import dev.tapegrad.rnn.CharModel;
import dev.tapegrad.rnn.text.CharVocabulary;
import dev.tapegrad.rnn.train.TinyRun;
import dev.tapegrad.rnn.train.TrainingState;
import dev.tapegrad.tensor.AllClose;
import dev.tapegrad.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {

  private static final int[] ABC = {'a', 'b', 'c'};

  @TempDir Path dir;

  @Test
  void savedModelLoadsWithBitIdenticalLogits() {
    CharVocabulary vocab = CharVocabulary.fromText("Hi 😀 there\n", true);
    CharModel model = CharModel.create(vocab.size(), 6, 2, new SplittableRandom(5));
    Checkpoint.saveModel(dir.resolve(Checkpoint.MODEL_FILE), model, vocab, 17);

    Checkpoint.Loaded loaded = Checkpoint.loadModel(dir);

    assertEquals(dir.resolve(Checkpoint.MODEL_FILE), loaded.file());
    assertEquals(vocab, loaded.vocab());
    assertEquals(17, loaded.step());
    assertEquals(List.of(vocab.size(), 6, 2),
        List.of(loaded.model().vocab(), loaded.model().hidden(), loaded.model().layers()));
    assertArrayEquals(TinyRun.flatten(model), TinyRun.flatten(loaded.model()));
    int[] ids = vocab.encode("there 😀hi\n");
    assertArrayEquals(logits(model, ids, 2), logits(loaded.model(), ids, 2));
  }

  @Test
  void modelFileCarriesTheDocumentedMetadataAndStateDictNames() {
    CharVocabulary vocab = CharVocabulary.fromText("ab\n😀", false);
    CharModel model = CharModel.create(vocab.size(), 3, 1, new SplittableRandom(5));
    Path file = dir.resolve("m.safetensors");
    Checkpoint.saveModel(file, model, vocab, 42);

    Safetensors.Contents contents = Safetensors.read(file);

    Map<String, String> meta = contents.metadata();
    assertEquals(Set.of("format", "cell", "hidden", "layers", "lowercase", "vocab", "step", Safetensors.CHECKSUM_KEY),
        meta.keySet());
    assertEquals("tapegrad-charrnn/1", meta.get("format"));
    assertEquals("gru", meta.get("cell"));
    assertEquals("3", meta.get("hidden"));
    assertEquals("1", meta.get("layers"));
    assertEquals("false", meta.get("lowercase"));
    assertEquals("42", meta.get("step"));
    assertEquals(List.of(10L, 97L, 98L, 0x1F600L), Json.parse(meta.get("vocab")), "code points in id order");
    assertEquals(new ArrayList<>(model.namedParameters().keySet()), new ArrayList<>(contents.tensors().keySet()));
    contents.tensors().forEach((name, t) ->
        assertEquals(model.namedParameters().get(name).shape(), t.shape(), name));
  }

  @Test
  void trainingStateRoundTripsMomentsStepAndRandomState() {
    TinyRun run = TinyRun.of("abc".repeat(8)).modelSeed(3).steps(3).seed(8).valFraction(0.25);
    run.train();
    CharModel model = run.model();
    TrainingState state = run.trainer().state(2.5);
    Path file = dir.resolve(Checkpoint.STATE_FILE);

    Checkpoint.saveState(file, model, state, Map.of("seq", "5", "data", "/texts/abc.txt"));
    Checkpoint.LoadedState loaded = Checkpoint.loadState(file, model, 3);

    TrainingState back = loaded.state();
    assertEquals(3, back.step());
    assertEquals(state.randomState(), back.randomState());
    assertEquals(2.5, back.elapsedSeconds());
    assertTrue(Double.isFinite(state.bestValLoss()), "an epoch ended, so a validation loss was measured");
    assertEquals(state.bestValLoss(), back.bestValLoss());
    assertEquals(List.copyOf(model.namedParameters().keySet()), List.copyOf(back.firstMoments().keySet()));
    for (String name : state.firstMoments().keySet()) {
      assertArrayEquals(state.firstMoments().get(name).storage(), back.firstMoments().get(name).storage(), name);
      assertArrayEquals(state.secondMoments().get(name).storage(), back.secondMoments().get(name).storage(), name);
    }
    assertTrue(state.secondMoments().values().stream().allMatch(v -> max(v.storage()) > 0),
        "three steps leave non-zero moments");
    assertEquals("5", loaded.settings().get("seq"));
    assertEquals("/texts/abc.txt", loaded.settings().get("data"));
    assertEquals(Checkpoint.STATE_FORMAT, loaded.settings().get("format"));
  }

  @Test
  void trainingStateNaNBestLossRoundTrips() {
    CharModel model = CharModel.create(2, 2, 1, new SplittableRandom(3));
    TrainingState state = new TrainingState(0, -7L, 0, 0, Double.NaN, 0, zeros(model), zeros(model), List.of());
    Path file = dir.resolve(Checkpoint.STATE_FILE);
    Checkpoint.saveState(file, model, state, Map.of());
    TrainingState back = Checkpoint.loadState(file, model, 0).state();
    assertTrue(Double.isNaN(back.bestValLoss()));
    assertEquals(-7L, back.randomState());
  }

  @Test
  void refusesToPairAStateWithAModelOfAnotherStep() {
    CharModel model = CharModel.create(3, 2, 1, new SplittableRandom(3));
    Path file = dir.resolve(Checkpoint.STATE_FILE);
    Checkpoint.saveState(file, model, new TrainingState(3, 1, 0, 0, Double.NaN, 0, zeros(model), zeros(model), List.of()), Map.of());
    SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class,
        () -> Checkpoint.loadState(file, model, 4));
    assertEquals("training-state.safetensors: training state is from step 3 but the model is from step 4; "
        + "refusing to pair them", e.getMessage());
  }

  @Test
  void refusesAStateWhoseMomentsDoNotFitTheModel() {
    CharModel small = CharModel.create(3, 2, 1, new SplittableRandom(3));
    CharModel wider = CharModel.create(3, 4, 1, new SplittableRandom(3));
    Path file = dir.resolve(Checkpoint.STATE_FILE);
    Checkpoint.saveState(file, small, new TrainingState(3, 1, 0, 0, Double.NaN, 0, zeros(small), zeros(small), List.of()), Map.of());
    SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class,
        () -> Checkpoint.loadState(file, wider, 3));
    assertEquals("training-state.safetensors: tensor 'adam.m.rnn.weight_ih_l0' has shape [6, 3], need [12, 3]",
        e.getMessage());
  }

  @Test
  void missingStateFileSaysTheRunCannotBeResumed() {
    CharModel model = CharModel.create(3, 2, 1, new SplittableRandom(3));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Checkpoint.loadState(dir.resolve(Checkpoint.STATE_FILE), model, 0));
    assertEquals("no training-state.safetensors beside the model in " + dir
        + ": the run cannot be resumed (the model can still be sampled)", e.getMessage());
  }

  @Test
  void handWrittenFileLoadsAndItsDecoderBiasIsTheLogitsOfAZeroModel() {
    Path file = HandWrittenSafetensors.zeroCharModel(ABC, 2)
        .tensor("decoder.bias", new float[] {0.5f, -1f, 2f}, 3)
        .meta("step", "9")
        .write(dir.resolve("hand.safetensors"));

    Checkpoint.Loaded loaded = Checkpoint.loadModel(file);

    assertEquals(CharVocabulary.of(ABC, false), loaded.vocab());
    assertEquals(9, loaded.step());
    float[] logits = logits(loaded.model(), new int[] {0, 1, 2, 2}, 1);
    assertArrayEquals(new float[] {0.5f, -1f, 2f, 0.5f, -1f, 2f, 0.5f, -1f, 2f, 0.5f, -1f, 2f}, logits);
  }

  @Test
  void handWrittenWeightsAreReadInPyTorchLayoutAndGateOrder() {
    // H = 2. W_ih rows are the r, z and n gates (2 rows each) over the V = 3 one-hot columns the
    // identity embedding gives; W_hh is zero, so the state enters only through z.
    float[] identity = {1, 0, 0, 0, 1, 0, 0, 0, 1};
    float[] weightIh = {
        0, 0, 0, 0, 0, 0,            // r: no input dependence
        0, 0, 0, 0, 0, 0,            // z
        0.4f, -0.3f, 0.9f,           // n, unit 0
        -0.7f, 0.2f, 0.5f};          // n, unit 1
    float lnThree = (float) Math.log(3);
    float lnFour = (float) Math.log(4);
    float[] biasIh = {0, 0, lnThree, lnThree, 0.1f, -0.2f};    // z = σ(ln 3) = 0.75
    float[] biasHh = {lnFour, 0, 0, 0, 0.3f, -0.6f};           // r = (σ(ln 4), σ(0)) = (0.8, 0.5)
    float[] decoderWeight = {1, 2, -1, 0.5f, 0.25f, -3};
    float[] decoderBias = {0.1f, 0, -0.1f};
    Path file = HandWrittenSafetensors.zeroCharModel(ABC, 2)
        .tensor("encoder.weight", identity, 3, 3)
        .tensor("rnn.weight_ih_l0", weightIh, 6, 3)
        .tensor("rnn.bias_ih_l0", biasIh, 6)
        .tensor("rnn.bias_hh_l0", biasHh, 6)
        .tensor("decoder.weight", decoderWeight, 3, 2)
        .tensor("decoder.bias", decoderBias, 3)
        .write(dir.resolve("hand.safetensors"));
    int[] ids = {2, 0, 1, 1, 0};

    float[] logits = logits(Checkpoint.loadModel(file).model(), ids, 1);

    double[] expected = new double[ids.length * 3];
    double[] h = {0, 0};
    double[] r = {0.8, 0.5};
    for (int t = 0; t < ids.length; t++) {
      for (int j = 0; j < 2; j++) {
        double n = Math.tanh(weightIh[(4 + j) * 3 + ids[t]] + biasIh[4 + j] + r[j] * biasHh[4 + j]);
        h[j] = 0.25 * n + 0.75 * h[j];
      }
      for (int v = 0; v < 3; v++) {
        expected[t * 3 + v] = decoderWeight[v * 2] * h[0] + decoderWeight[v * 2 + 1] * h[1] + decoderBias[v];
      }
    }
    AllClose.check("hand-computed logits", expected, logits, 1e-5, 1e-6);
  }

  @Test
  void refusesAFileMissingATensor() {
    assertRefused("hand.safetensors: the names do not match the module's: missing 'decoder.bias' (the metadata "
        + "describe a 1-layer gru model of vocab size 3, hidden 2)",
        HandWrittenSafetensors.zeroCharModel(ABC, 2).without("decoder.bias"));
  }

  @Test
  void refusesAFileWithAnExtraTensor() {
    assertRefused("hand.safetensors: the names do not match the module's: unexpected 'rnn.weight_ih_l1' (the "
        + "metadata describe a 1-layer gru model of vocab size 3, hidden 2)",
        HandWrittenSafetensors.zeroCharModel(ABC, 2).zeros("rnn.weight_ih_l1", 6, 2));
  }

  @Test
  void refusesTensorsThatDoNotFitTheVocabularySize() {
    assertRefused("hand.safetensors: size mismatch for 'encoder.weight': the tensor has shape [3, 3], the "
        + "module's parameter [4, 4] (the metadata describe a 1-layer gru model of vocab size 4, hidden 2)",
        HandWrittenSafetensors.zeroCharModel(ABC, 2).meta("vocab", "[97,98,99,100]"));
  }

  @Test
  void refusesTensorsThatDoNotFitTheHiddenSize() {
    assertRefused("hand.safetensors: size mismatch for 'rnn.weight_ih_l0': the tensor has shape [6, 3], the "
        + "module's parameter [15, 3] (the metadata describe a 1-layer gru model of vocab size 3, hidden 5)",
        HandWrittenSafetensors.zeroCharModel(ABC, 2).meta("hidden", "5"));
  }

  @Test
  void refusesAnAbsurdHiddenSizeBeforeAllocatingAModelForIt() {
    // A 3H×H matrix for H = 40,000 has more than 2^31 elements; the file's own tensors are tiny.
    assertRefused(
        "hand.safetensors: shape [120000, 40000] has more than 2^31-1 elements (the metadata describe a 1-layer "
            + "gru model of vocab size 3, hidden 40000)",
        HandWrittenSafetensors.zeroCharModel(ABC, 2).meta("hidden", "40000"));
  }

  @Test
  void refusesMoreLayersThanTheFileHolds() {
    assertRefused("hand.safetensors: the names do not match the module's: missing 'rnn.weight_ih_l1', "
        + "'rnn.weight_hh_l1', 'rnn.bias_ih_l1', 'rnn.bias_hh_l1', 'rnn.weight_ih_l2', 'rnn.weight_hh_l2', "
        + "'rnn.bias_ih_l2', 'rnn.bias_hh_l2' (the metadata describe a 3-layer gru model of vocab size 3, hidden 2)",
        HandWrittenSafetensors.zeroCharModel(ABC, 2).meta("layers", "3"));
  }

  @Test
  void refusesNaNOrInfiniteWeights() {
    assertRefused("hand.safetensors: tensor 'decoder.weight' contains NaN or infinite values",
        HandWrittenSafetensors.zeroCharModel(ABC, 2).tensor("decoder.weight", new float[] {0, 0, Float.NaN, 0, 0, 0}, 3,
            2));
    assertRefused("hand.safetensors: tensor 'rnn.bias_hh_l0' contains NaN or infinite values",
        HandWrittenSafetensors.zeroCharModel(ABC, 2).tensor("rnn.bias_hh_l0",
            new float[] {0, 0, 0, Float.NEGATIVE_INFINITY, 0, 0}, 6));
  }

  @Test
  void refusesAnotherFormat() {
    assertRefused("hand.safetensors: metadata 'format' is \"tapegrad-charrnn/2\", expected 'tapegrad-charrnn/1' "
        + "(not a Tapegrad char-model checkpoint)",
        HandWrittenSafetensors.zeroCharModel(ABC, 2).meta("format", "tapegrad-charrnn/2"));
    HandWrittenSafetensors plain = new HandWrittenSafetensors().zeros("weight", 2, 2);
    assertRefused("hand.safetensors: metadata 'format' is missing, expected 'tapegrad-charrnn/1' "
        + "(not a Tapegrad char-model checkpoint)", plain);
  }

  @Test
  void refusesAnUnknownCellAndTensorsOfAnotherCell() {
    assertRefused("hand.safetensors: metadata 'cell' is \"transformer\", expected 'gru', 'lstm' or 'rnn'",
        HandWrittenSafetensors.zeroCharModel(ABC, 2).meta("cell", "transformer"));
    // GRU weights (3H rows) labelled as an LSTM (4H rows)
    assertRefused("hand.safetensors: size mismatch for 'rnn.weight_ih_l0': the tensor has shape [6, 3], the "
        + "module's parameter [8, 3] (the metadata describe a 1-layer lstm model of vocab size 3, hidden 2)",
        HandWrittenSafetensors.zeroCharModel(ABC, 2).meta("cell", "lstm"));
  }

  @Test
  void refusesBadVocabularyMetadata() {
    assertRefused("hand.safetensors: metadata 'vocab': vocabulary code points must be strictly ascending, "
        + "but id 2 ('b') follows 'c'", HandWrittenSafetensors.zeroCharModel(ABC, 2).meta("vocab", "[97,99,98]"));
    assertRefused("hand.safetensors: metadata 'vocab' must be a non-empty JSON array of code points",
        HandWrittenSafetensors.zeroCharModel(ABC, 2).meta("vocab", "\"abc\""));
    assertRefused("hand.safetensors: metadata 'vocab' entry 1 is not a Unicode code point",
        HandWrittenSafetensors.zeroCharModel(ABC, 2).meta("vocab", "[97,1114112,99]"));
  }

  @Test
  void refusesBadSizeMetadata() {
    assertRefused("hand.safetensors: metadata 'hidden' is not a whole number: \"two\"",
        HandWrittenSafetensors.zeroCharModel(ABC, 2).meta("hidden", "two"));
    assertRefused("hand.safetensors: metadata 'layers' = 0 is out of range",
        HandWrittenSafetensors.zeroCharModel(ABC, 2).meta("layers", "0"));
    assertRefused("hand.safetensors: metadata 'lowercase' must be 'true' or 'false', got \"yes\"",
        HandWrittenSafetensors.zeroCharModel(ABC, 2).meta("lowercase", "yes"));
  }

  @Test
  void saveLeavesAMatchingPairAndNoPreviousState() throws IOException {
    CharVocabulary vocab = CharVocabulary.of(ABC, false);
    CharModel model = CharModel.create(3, 2, 1, new SplittableRandom(3));
    Checkpoint.save(dir, model, vocab, state(model, 4), Map.of("seq", "8"));
    Checkpoint.save(dir, model, vocab, state(model, 9), Map.of("seq", "8"));

    Checkpoint.Loaded loaded = Checkpoint.loadModel(dir);
    Checkpoint.LoadedState loadedState = Checkpoint.loadState(dir.resolve(Checkpoint.STATE_FILE), loaded.model(),
        loaded.step());
    assertEquals(9, loaded.step());
    assertEquals(9, loadedState.state().step());
    assertEquals(dir.resolve(Checkpoint.STATE_FILE), loadedState.file());
    assertEquals(Set.of(Checkpoint.MODEL_FILE, Checkpoint.STATE_FILE), names());
  }

  @Test
  void aSaveInterruptedBeforeItsModelFallsBackToThePreviousStateAndIsRepaired() throws IOException {
    CharVocabulary vocab = CharVocabulary.of(ABC, false);
    CharModel model = CharModel.create(3, 2, 1, new SplittableRandom(3));
    Checkpoint.save(dir, model, vocab, state(model, 4), Map.of());
    Path stateFile = dir.resolve(Checkpoint.STATE_FILE);
    Path previous = dir.resolve(Checkpoint.PREVIOUS_STATE_FILE);
    // The save of step 9 died after its first move: no state file, the state of step 4 kept aside.
    Files.move(stateFile, previous);
    assertEquals(previous, Checkpoint.loadState(stateFile, model, 4).file());
    Checkpoint.recoverInterruptedSave(dir);
    assertEquals(Set.of(Checkpoint.MODEL_FILE, Checkpoint.STATE_FILE), names());
    assertEquals(4, Checkpoint.loadState(stateFile, model, 4).state().step());

    // The save of step 9 died after writing its state, before its model: the state is one save ahead.
    Files.move(stateFile, previous);
    Checkpoint.saveState(stateFile, model, state(model, 9), Map.of());
    Checkpoint.LoadedState fallback = Checkpoint.loadState(stateFile, model, 4);
    assertEquals(previous, fallback.file());
    assertEquals(4, fallback.state().step());
    Checkpoint.recoverInterruptedSave(dir);
    assertEquals(Set.of(Checkpoint.MODEL_FILE, Checkpoint.STATE_FILE), names());
    assertEquals(4, Checkpoint.loadState(stateFile, model, 4).state().step(), "the stale state is replaced");
  }

  @Test
  void aSaveInterruptedAfterItsModelKeepsTheNewPairAndDropsThePreviousState() throws IOException {
    CharVocabulary vocab = CharVocabulary.of(ABC, false);
    CharModel model = CharModel.create(3, 2, 1, new SplittableRandom(3));
    Checkpoint.save(dir, model, vocab, state(model, 4), Map.of());
    Path stateFile = dir.resolve(Checkpoint.STATE_FILE);
    Path previous = dir.resolve(Checkpoint.PREVIOUS_STATE_FILE);
    Files.move(stateFile, previous);
    Checkpoint.saveState(stateFile, model, state(model, 9), Map.of());
    Checkpoint.saveModel(dir.resolve(Checkpoint.MODEL_FILE), model, vocab, 9);

    assertEquals(stateFile, Checkpoint.loadState(stateFile, model, 9).file());
    Checkpoint.recoverInterruptedSave(dir);
    assertEquals(Set.of(Checkpoint.MODEL_FILE, Checkpoint.STATE_FILE), names());
    Checkpoint.save(dir, model, vocab, state(model, 10), Map.of());
    assertEquals(10, Checkpoint.loadState(stateFile, model, 10).state().step());
  }

  @Test
  void neitherStateMatchingTheModelIsRefusedNamingTheSteps() throws IOException {
    CharModel model = CharModel.create(3, 2, 1, new SplittableRandom(3));
    Path stateFile = dir.resolve(Checkpoint.STATE_FILE);
    Checkpoint.saveState(stateFile, model, state(model, 7), Map.of());
    Checkpoint.saveState(dir.resolve(Checkpoint.PREVIOUS_STATE_FILE), model, state(model, 6), Map.of());
    SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class,
        () -> Checkpoint.loadState(stateFile, model, 8));
    assertEquals("training-state.safetensors: training state is from step 7 but the model is from step 8; "
        + "refusing to pair them", e.getMessage());
  }

  @Test
  void refusesAStateWithNonFiniteOrNegativeMoments() {
    CharModel model = CharModel.create(3, 2, 1, new SplittableRandom(3));
    Path file = dir.resolve(Checkpoint.STATE_FILE);
    Map<String, Tensor> first = zeros(model);
    first.get("rnn.weight_ih_l0").storage()[2] = Float.POSITIVE_INFINITY;
    Checkpoint.saveState(file, model, new TrainingState(3, 1, 0, 0, Double.NaN, 0, first, zeros(model), List.of()), Map.of());
    SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class,
        () -> Checkpoint.loadState(file, model, 3));
    assertEquals("training-state.safetensors: tensor 'adam.m.rnn.weight_ih_l0' contains NaN or infinite values",
        e.getMessage());

    Map<String, Tensor> second = zeros(model);
    second.get("decoder.bias").storage()[0] = -0.5f;
    Checkpoint.saveState(file, model, new TrainingState(3, 1, 0, 0, Double.NaN, 0, zeros(model), second, List.of()), Map.of());
    e = assertThrows(SafetensorsFormatException.class, () -> Checkpoint.loadState(file, model, 3));
    assertEquals("training-state.safetensors: tensor 'adam.v.decoder.bias' has negative values, but a second moment "
        + "is a mean of squares", e.getMessage());
  }

  @Test
  void refusesAStateWithImpossibleTimesOrLosses() {
    CharModel model = CharModel.create(3, 2, 1, new SplittableRandom(3));
    Path file = dir.resolve(Checkpoint.STATE_FILE);
    Checkpoint.saveState(file, model, new TrainingState(3, 1, 0, -2, Double.NaN, 0, zeros(model), zeros(model), List.of()), Map.of());
    assertEquals("training-state.safetensors: metadata 'elapsed_seconds' = -2.0 is not a finite number of seconds",
        assertThrows(SafetensorsFormatException.class, () -> Checkpoint.loadState(file, model, 3)).getMessage());
    Checkpoint.saveState(file, model, new TrainingState(3, 1, 0, 0, Double.POSITIVE_INFINITY, 0, zeros(model), zeros(model), List.of()),
        Map.of());
    assertEquals("training-state.safetensors: metadata 'best_val_loss' = Infinity is not a cross-entropy (a finite "
        + "number of at least 0, or NaN)",
        assertThrows(SafetensorsFormatException.class, () -> Checkpoint.loadState(file, model, 3)).getMessage());
  }

  @Test
  void refusesANegativeStep() {
    assertRefused("hand.safetensors: metadata 'step' = -3 is negative",
        HandWrittenSafetensors.zeroCharModel(ABC, 2).meta("step", "-3"));
  }

  @Test
  void refusesAVocabularyListLongerThanUnicodeBeforeParsingIt() {
    String huge = "[" + "0,".repeat(5_600_000) + "0]";
    assertRefused("hand.safetensors: metadata 'vocab' is 11200003 characters long, more than a list of every Unicode "
        + "code point needs", HandWrittenSafetensors.zeroCharModel(ABC, 2).meta("vocab", huge));
  }

  @Test
  void directoryWithoutAModelIsNotARun() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Checkpoint.loadModel(dir));
    assertEquals("no model.safetensors in " + dir + " (is it a training run's --out directory?)", e.getMessage());
  }

  private void assertRefused(String message, HandWrittenSafetensors file) {
    Path path = file.write(dir.resolve("hand.safetensors"));
    SafetensorsFormatException e = assertThrows(SafetensorsFormatException.class, () -> Checkpoint.loadModel(path));
    assertEquals(message, e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
  }

  private static float[] logits(CharModel model, int[] ids, int batch) {
    Tape tape = new Tape();
    try (Tape.NoGrad off = tape.noGrad()) {
      return model.forward(tape, ids, batch, ids.length / batch, null, Implementation.FUSED).logits().value()
          .storage().clone();
    }
  }

  private static float max(float[] values) {
    float max = Float.NEGATIVE_INFINITY;
    for (float v : values) {
      max = Math.max(max, v);
    }
    return max;
  }

  private Set<String> names() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
    }
  }

  private static TrainingState state(CharModel model, long step) {
    return new TrainingState(step, 100 + step, 0, step / 10.0, Double.NaN, 0, zeros(model), zeros(model), List.of());
  }

  private static Map<String, Tensor> zeros(CharModel model) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    model.namedParameters().forEach((name, v) -> out.put(name, Tensor.zeros(v.shape())));
    return out;
  }
}
