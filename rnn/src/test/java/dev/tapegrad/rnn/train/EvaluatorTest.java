package dev.tapegrad.rnn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.nn.Implementation;
import dev.tapegrad.nn.State;
import dev.tapegrad.ops.CellKind;
import dev.tapegrad.rnn.CharModel;
import dev.tapegrad.rnn.text.CharVocabulary;
import dev.tapegrad.rnn.text.EncodedText;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EvaluatorTest {

  private static final String TEXT = "the cat sat on the mat\nthe dog sat on a log\n";

  @Test
  void chunkLengthChangesSpeedOnlyNeverTheResult() {
    CharVocabulary vocab = CharVocabulary.fromText(TEXT, false);
    EncodedText text = EncodedText.encode(vocab, TEXT);
    CharModel model = CharModel.create(vocab.size(), 8, 2, new SplittableRandom(3));

    Evaluator.Result whole = Evaluator.evaluate(model, text, 256);

    assertEquals(TEXT.length() - 1, whole.chars());
    for (int chunk : new int[] {1, 3, 7, TEXT.length() - 1}) {
      Evaluator.Result r = Evaluator.evaluate(model, text, chunk);
      assertEquals(whole.chars(), r.chars());
      assertEquals(whole.natsPerChar(), r.natsPerChar(), 1e-5, "chunk " + chunk);
    }
  }

  @Test
  void lossIsTheMeanCrossEntropyOfEachNextCharacterWithTheStateCarried() {
    CharVocabulary vocab = CharVocabulary.fromText(TEXT, false);
    EncodedText text = EncodedText.encode(vocab, TEXT);
    CharModel model = CharModel.create(vocab.size(), 8, 1, new SplittableRandom(4));
    int[] ids = vocab.encode(TEXT);

    double total = 0;
    Tape tape = new Tape();
    try (Tape.NoGrad off = tape.noGrad()) {
      List<State> state = null;
      for (int t = 0; t + 1 < ids.length; t++) {
        CharModel.Forward f = model.forward(tape, new int[] {ids[t]}, 1, 1, state, Implementation.FUSED);
        float[] logits = f.logits().value().storage();
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) {
          max = Math.max(max, l);
        }
        double sum = 0;
        for (float l : logits) {
          sum += Math.exp(l - max);
        }
        total += max + Math.log(sum) - logits[ids[t + 1]];
        state = f.state();
      }
    }

    Evaluator.Result r = Evaluator.evaluate(model, text, Evaluator.DEFAULT_CHUNK);
    assertEquals(total / (ids.length - 1), r.natsPerChar(), 1e-5);
  }

  /**
   * Several streams are the text cut into contiguous stretches, each evaluated from a zero state:
   * the result is exactly the prediction-weighted mean of evaluating each stretch on its own, for
   * each cell.
   */
  @ParameterizedTest
  @CsvSource({"GRU, 4, 7", "LSTM, 3, 5", "RNN, 5, 256", "GRU, 200, 3"})
  void streamsAreTheTextCutIntoStretchesEachFromZeros(CellKind cell, int streams, int chunk) {
    CharVocabulary vocab = CharVocabulary.fromText(TEXT, false);
    EncodedText text = EncodedText.encode(vocab, TEXT);
    CharModel model = CharModel.create(cell, vocab.size(), 8, 2, new SplittableRandom(6));
    int rows = Math.min(streams, text.length() - 1);
    int predictions = text.length() - 1;
    int perRow = predictions / rows;
    int extra = predictions % rows;
    double nats = 0;
    int start = 0;
    for (int b = 0; b < rows; b++) {
      int n = perRow + (b < extra ? 1 : 0);
      nats += Evaluator.evaluate(model, text.slice(start, start + n + 1), chunk).natsPerChar() * n;
      start += n;
    }
    assertEquals(predictions, start, "the stretches cover every prediction");
    Evaluator.Result r = Evaluator.evaluate(model, text, chunk, streams);
    assertEquals(predictions, r.chars());
    assertEquals(nats / predictions, r.natsPerChar(), 1e-5);
  }

  @Test
  void aModelWithAllZeroWeightsScoresTheUniformLoss() {
    CharVocabulary vocab = CharVocabulary.fromText(TEXT, false);
    CharModel model = CharModel.create(vocab.size(), 4, 1, new SplittableRandom(4));
    model.namedParameters().values().forEach(p -> p.value().fillZero());
    Evaluator.Result r = Evaluator.evaluate(model, EncodedText.encode(vocab, TEXT), 5);
    assertEquals(Math.log(vocab.size()), r.natsPerChar(), 1e-6);
    assertEquals(Math.log(vocab.size()) / Math.log(2), r.bitsPerChar(), 1e-6);
  }

  @Test
  void bitsPerCharAreNatsOverLnTwo() {
    assertEquals(3.0, new Evaluator.Result(5, 3 * Math.log(2)).bitsPerChar(), 1e-12);
    assertEquals(1 / Math.log(2), new Evaluator.Result(5, 1).bitsPerChar(), 1e-12);
  }

  @Test
  void twoCharactersGiveOnePrediction() {
    CharVocabulary vocab = CharVocabulary.fromText("ab", false);
    CharModel model = CharModel.create(vocab.size(), 4, 1, new SplittableRandom(4));
    assertEquals(1, Evaluator.evaluate(model, EncodedText.encode(vocab, "ab"), 256).chars());
  }

  @Test
  void rejectsATextOfFewerThanTwoCharacters() {
    CharVocabulary vocab = CharVocabulary.fromText("ab", false);
    CharModel model = CharModel.create(vocab.size(), 4, 1, new SplittableRandom(4));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Evaluator.evaluate(model, EncodedText.encode(vocab, "a"), 256));
    assertEquals("evaluation needs at least 2 characters, got 1", e.getMessage());
  }

  @Test
  void rejectsAChunkBelowOne() {
    CharVocabulary vocab = CharVocabulary.fromText("ab", false);
    CharModel model = CharModel.create(vocab.size(), 4, 1, new SplittableRandom(4));
    EncodedText text = EncodedText.encode(vocab, "abba");
    for (int chunk : new int[] {0, -1}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> Evaluator.evaluate(model, text, chunk));
      assertEquals("the evaluation chunk must be at least 1 character, got " + chunk, e.getMessage());
    }
  }
}
