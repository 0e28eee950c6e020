package dev.tapegrad.rnn.visualize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.ops.CellKind;
import dev.tapegrad.rnn.CharModel;
import dev.tapegrad.rnn.text.CharVocabulary;
import dev.tapegrad.rnn.visualize.ActivationTrace.Signal;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The text features, and finding the unit that follows one. */
class TextFeatureTest {

  private static double[] values(TextFeature feature, String text) {
    return feature.values(text.codePoints().toArray());
  }

  @Test
  void eachFeatureIsItsValueAfterEachCharacter() {
    String text = "a \"b\" (c[d]) Ee\nXy";
    assertArrayEquals(new double[] {0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
        values(TextFeature.INSIDE_QUOTES, text));
    assertArrayEquals(new double[] {0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0},
        values(TextFeature.INSIDE_BRACKETS, text));
    assertArrayEquals(new double[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0, 1},
        values(TextFeature.POSITION_IN_LINE, text));
    assertArrayEquals(new double[] {1, 0, 0, 1, 0, 0, 0, 1, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0},
        values(TextFeature.WORD_START, text));
    assertArrayEquals(new double[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0},
        values(TextFeature.UPPER_CASE, text));
    // a closing bracket without an opening one does not go below zero
    assertArrayEquals(new double[] {0, 0, 1, 1, 0}, values(TextFeature.INSIDE_BRACKETS, ")a(b)"));
  }

  @Test
  void aUnitThatCopiesAFeatureRanksFirstWithACorrelationNearOne() {
    String text = "Once upon a Time, There Was a Cat. the END of It.";
    CharVocabulary vocab = CharVocabulary.fromText(text, false);
    int v = vocab.size();
    CharModel model = CharModel.create(CellKind.RNN, v, 3, 1, new SplittableRandom(5));
    // encoder = identity, so x is the character's one-hot; unit 0 of h = tanh(±3): upper case or not
    float[] encoder = model.namedParameters().get("encoder.weight").value().storage();
    float[] weightIh = model.namedParameters().get("rnn.weight_ih_l0").value().storage();
    java.util.Arrays.fill(encoder, 0f);
    for (int id = 0; id < v; id++) {
      encoder[id * v + id] = 1f;
      weightIh[id] = Character.isUpperCase(vocab.codePoint(id)) ? 3f : -3f;
    }
    float[] weightHh = model.namedParameters().get("rnn.weight_hh_l0").value().storage();
    for (int j = 0; j < 3; j++) {
      weightHh[j] = 0f;
    }
    model.namedParameters().get("rnn.bias_ih_l0").value().storage()[0] = 0f;
    model.namedParameters().get("rnn.bias_hh_l0").value().storage()[0] = 0f;
    ActivationTrace trace = ActivationTrace.record(model, vocab, vocab.encode(text));

    List<TextFeature.Ranked> ranked = TextFeature.UPPER_CASE.rank(trace, 2);
    assertEquals(2, ranked.size());
    TextFeature.Ranked best = ranked.get(0);
    assertEquals(List.of(0, Signal.H, 0), List.of(best.layer(), best.signal(), best.unit()));
    assertTrue(best.correlation() > 0.999, "correlation " + best.correlation());
    assertTrue(Math.abs(ranked.get(1).correlation()) <= best.correlation());
    // no quotes in the text: nothing follows them
    assertEquals(List.of(), TextFeature.INSIDE_QUOTES.rank(trace, 5));
  }

  @Test
  void rankingTakesTheLstmCellStateAndSortsByTheSizeOfTheCorrelation() {
    String text = ActivationPageTest.TEXT;
    CharVocabulary vocab = CharVocabulary.fromText(text, false);
    CharModel model = CharModel.create(CellKind.LSTM, vocab.size(), 4, 2, new SplittableRandom(6));
    ActivationTrace trace = ActivationTrace.record(model, vocab, vocab.encode(text));
    List<TextFeature.Ranked> all = TextFeature.POSITION_IN_LINE.rank(trace, 100);
    // 2 layers × (h and c) × 4 units
    assertEquals(16, all.size());
    for (int i = 1; i < all.size(); i++) {
      assertTrue(Math.abs(all.get(i - 1).correlation()) >= Math.abs(all.get(i).correlation()));
    }
    assertTrue(all.stream().anyMatch(r -> r.signal() == Signal.C));
    assertTrue(all.stream().allMatch(r -> Math.abs(r.correlation()) <= 1 + 1e-12));
  }
}
