package dev.tapegrad.rnn.visualize;

import static dev.tapegrad.testing.TestValues.assertThrowsWithMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.nn.RecurrentStepper;
import dev.tapegrad.ops.CellKind;
import dev.tapegrad.rnn.CharModel;
import dev.tapegrad.rnn.text.CharVocabulary;
import dev.tapegrad.rnn.visualize.ActivationTrace.Signal;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What {@link ActivationTrace} keeps, and what it refuses. */
class ActivationTraceTest {

  private static final String TEXT = ActivationPageTest.TEXT;

  @Test
  void signalsAreTheStatesThenTheGatesTheIssueAsksFor() {
    assertEquals(List.of(Signal.H, Signal.R, Signal.Z), Signal.of(CellKind.GRU));
    assertEquals(List.of(Signal.H, Signal.C, Signal.I, Signal.F, Signal.O), Signal.of(CellKind.LSTM));
    assertEquals(List.of(Signal.H), Signal.of(CellKind.RNN));
  }

  @Test
  void topIdsAreLargestFirstWithTiesToTheLowerId() {
    float[] logits = {1f, 3f, 3f, 2f, 3f, -1f};
    assertArrayEquals(new int[] {1, 2, 4, 3, 0}, ActivationTrace.topIds(logits, 5));
    assertArrayEquals(new int[] {1, 2}, ActivationTrace.topIds(logits, 2));
    assertArrayEquals(new int[] {0}, ActivationTrace.topIds(new float[] {Float.NEGATIVE_INFINITY}, 1));
  }

  @Test
  void aVocabularyOfFewerThanFiveCharactersHasAsManyGuesses() {
    CharVocabulary vocab = CharVocabulary.fromText("abab", false);
    CharModel model = CharModel.create(CellKind.GRU, 2, 3, 1, new SplittableRandom(1));
    ActivationTrace trace = ActivationTrace.record(model, vocab, vocab.encode("abab"));
    for (int t = 0; t < 4; t++) {
      assertEquals(2, trace.topIds(t).length);
      assertEquals(1.0, trace.topProbabilities(t)[0] + trace.topProbabilities(t)[1], 1e-12);
    }
  }

  @Test
  void theFirstCharacterHasNoLossAndTheMeanSkipsIt() {
    CharVocabulary vocab = CharVocabulary.fromText(TEXT, false);
    CharModel model = CharModel.create(CellKind.GRU, vocab.size(), 4, 1, new SplittableRandom(2));
    ActivationTrace trace = ActivationTrace.record(model, vocab, vocab.encode(TEXT));
    assertTrue(Double.isNaN(trace.lossBits(0)));
    double sum = 0;
    for (int t = 1; t < trace.length(); t++) {
      assertTrue(trace.lossBits(t) > 0, "a loss is positive");
      sum += trace.lossBits(t);
    }
    assertEquals(sum / (trace.length() - 1), trace.meanLossBits(), 1e-12);
    assertEquals(TEXT, trace.text());
    assertTrue(Double.isNaN(ActivationTrace.record(model, vocab, vocab.encode("S")).meanLossBits()));
  }

  @ParameterizedTest
  @EnumSource(CellKind.class)
  void saturationIsTheShareOfCharactersAfterWhichAGateWasNearlyShutOrOpen(CellKind kind) {
    CharVocabulary vocab = CharVocabulary.fromText(TEXT, false);
    // large weights, so that some gates saturate
    CharModel model = CharModel.create(kind, vocab.size(), 5, 2, new SplittableRandom(3));
    model.parameters().forEach(p -> {
      float[] w = p.value().storage();
      for (int i = 0; i < w.length; i++) {
        w[i] *= 8;
      }
    });
    int[] ids = vocab.encode(TEXT);
    ActivationTrace trace = ActivationTrace.record(model, vocab, ids);
    for (Signal signal : trace.signals()) {
      if (!signal.gate()) {
        assertThrowsWithMessage(IllegalArgumentException.class, () -> trace.saturation(0, signal), "is a state");
        continue;
      }
      for (int layer = 0; layer < 2; layer++) {
        int[][] counts = new int[2][5];
        CharModel.Stepper stepper = model.stepper();
        RecurrentStepper recurrent = stepper.recurrent();
        for (int id : ids) {
          stepper.step(id);
          float[] g = recurrent.gate(layer, signal.id());
          for (int j = 0; j < 5; j++) {
            counts[0][j] += g[j] < 0.1 ? 1 : 0;
            counts[1][j] += g[j] > 0.9 ? 1 : 0;
          }
        }
        double[][] saturation = trace.saturation(layer, signal);
        for (int side = 0; side < 2; side++) {
          for (int j = 0; j < 5; j++) {
            assertEquals(counts[side][j] / (double) ids.length, saturation[side][j], 1e-12);
          }
        }
      }
    }
  }

  @Test
  void refusesAnEmptyTextAVocabularyOfAnotherSizeAndASignalTheCellLacks() {
    CharVocabulary vocab = CharVocabulary.fromText("abc", false);
    CharModel model = CharModel.create(CellKind.GRU, 3, 2, 1, new SplittableRandom(4));
    assertThrowsWithMessage(IllegalArgumentException.class, () -> ActivationTrace.record(model, vocab, new int[0]),
        "empty");
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> ActivationTrace.record(model, CharVocabulary.fromText("ab", false), new int[] {0}),
        "model has 3 outputs but the vocabulary has 2 characters");
    ActivationTrace trace = ActivationTrace.record(model, vocab, new int[] {0, 1});
    assertThrowsWithMessage(IllegalArgumentException.class, () -> trace.value(0, Signal.C, 0, 0),
        "a GRU has no signal c; it has [h, r, z]");
  }
}
