package dev.tapegrad.rnn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.nn.Gru;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SamplerTest {

  private static final CharVocabulary VOCAB = CharVocabulary.fromText("abcdefgh \n", false);
  private static final CharModel MODEL = CharModel.create(VOCAB.size(), 16, 1, new SplittableRandom(21));

  @Test
  void seededSamplingIsReproducible() {
    Sampler sampler = new Sampler(MODEL, VOCAB);
    String first = sample(sampler, "ab", 100, new Sampler.Options(1, 0, 7));
    assertEquals(first, sample(sampler, "ab", 100, new Sampler.Options(1, 0, 7)));
    assertNotEquals(first, sample(sampler, "ab", 100, new Sampler.Options(1, 0, 8)), "another seed, another text");
  }

  @Test
  void greedyPicksTheMostLikelyCharacterWithTheStateCarried() {
    String prime = "fade ";
    Tape tape = new Tape();
    StringBuilder expected = new StringBuilder();
    try (Tape.NoGrad off = tape.noGrad()) {
      int[] ids = VOCAB.encode(prime);
      CharModel.Forward f = MODEL.forward(tape, ids, 1, ids.length, null, Gru.Implementation.FUSED);
      for (int i = 0; i < 30; i++) {
        float[] logits = f.logits().value().data();
        int best = argMax(logits, logits.length - VOCAB.size(), VOCAB.size());
        expected.appendCodePoint(VOCAB.codePoint(best));
        f = MODEL.forward(tape, new int[] {best}, 1, 1, f.state(), Gru.Implementation.FUSED);
      }
    }
    assertEquals(expected.toString(), new Sampler(MODEL, VOCAB).greedy(prime, 30));
  }

  @Test
  void temperatureZeroIsGreedyWhateverTheSeed() {
    Sampler sampler = new Sampler(MODEL, VOCAB);
    String greedy = sampler.greedy("bad", 60);
    for (long seed : new long[] {0, 1, 99}) {
      assertEquals(greedy, sample(sampler, "bad", 60, new Sampler.Options(0, 0, seed)));
      assertEquals(greedy, sample(sampler, "bad", 60, new Sampler.Options(0, 3, seed)));
    }
  }

  @Test
  void topKOfOneIsGreedyAtAnyTemperature() {
    Sampler sampler = new Sampler(MODEL, VOCAB);
    String greedy = sampler.greedy("cab", 60);
    assertEquals(greedy, sample(sampler, "cab", 60, new Sampler.Options(1, 1, 3)));
    assertEquals(greedy, sample(sampler, "cab", 60, new Sampler.Options(2.5, 1, 99)));
  }

  @Test
  void choiceFrequenciesFollowTheSoftmaxOfLogitsOverTemperature() {
    float[] logits = {1f, 0f, -1f, 2f, 0.5f};
    for (double temperature : new double[] {0.7, 1, 2}) {
      double[] expected = softmax(logits, temperature, logits.length);
      assertFrequencies(expected, logits, new Sampler.Options(temperature, 0, 0), 123);
    }
  }

  @Test
  void topKKeepsTheKMostLikelyCharactersRenormalised() {
    float[] logits = {1f, 0f, -1f, 2f, 0.5f};
    // The two largest logits are 2 (id 3) and 1 (id 0).
    double a = Math.exp(2 / 0.8);
    double b = Math.exp(1 / 0.8);
    double[] expected = {b / (a + b), 0, 0, a / (a + b), 0};
    assertFrequencies(expected, logits, new Sampler.Options(0.8, 2, 0), 77);
  }

  @Test
  void topKKeepsEveryCharacterTiedAtTheCutOff() {
    float[] logits = {1f, 3f, 1f, 0f};
    double[] expected = {0, 0, 0, 0};
    double kept = 2 * Math.exp(1) + Math.exp(3);
    expected[0] = Math.exp(1) / kept;
    expected[1] = Math.exp(3) / kept;
    expected[2] = Math.exp(1) / kept;
    assertFrequencies(expected, logits, new Sampler.Options(1, 2, 0), 5);
  }

  @Test
  void chooseAtTemperatureZeroTakesTheArgMax() {
    SplittableRandom random = new SplittableRandom(1);
    assertEquals(3, Sampler.choose(new float[] {1f, 0f, -1f, 2f, 0.5f}, Sampler.Options.greedy(), random));
    assertEquals(0, Sampler.choose(new float[] {4f, 4f}, new Sampler.Options(0, 0, 1), random), "the first of ties");
  }

  @Test
  void tinyTemperatureNeverOverflows() {
    float[] logits = {100f, -100f, 99.9f};
    SplittableRandom random = new SplittableRandom(1);
    for (int i = 0; i < 100; i++) {
      assertEquals(0, Sampler.choose(logits, new Sampler.Options(1e-6, 0, 0), random));
    }
  }

  @Test
  void generationStreamsExactlyLengthCodePointsBeyondTheBmpToo() {
    CharVocabulary vocab = CharVocabulary.fromText("ab😀\n", false);
    CharModel model = CharModel.create(vocab.size(), 8, 1, new SplittableRandom(4));
    List<Integer> codePoints = new ArrayList<>();

    new Sampler(model, vocab).generate("a😀", 60, new Sampler.Options(1, 0, 5), codePoints::add);

    assertEquals(60, codePoints.size());
    assertTrue(codePoints.stream().allMatch(vocab::contains), "only vocabulary characters: " + codePoints);
    assertTrue(codePoints.contains(0x1F600), "the emoji is drawn as one code point: " + codePoints);
    String text = sample(new Sampler(model, vocab), "a😀", 60, new Sampler.Options(1, 0, 5));
    assertEquals(60, text.codePointCount(0, text.length()));
    assertEquals(60 + codePoints.stream().filter(cp -> cp > 0xFFFF).count(), text.length());
    assertEquals("", sample(new Sampler(model, vocab), "a", 0, new Sampler.Options(1, 0, 5)));
  }

  @Test
  void lowerCasingVocabularyAcceptsAnUpperCasePrime() {
    CharVocabulary vocab = CharVocabulary.fromText("abc", true);
    CharModel model = CharModel.create(vocab.size(), 4, 1, new SplittableRandom(4));
    Sampler sampler = new Sampler(model, vocab);
    assertEquals(sampler.greedy("abc", 10), sampler.greedy("ABC", 10));
  }

  @Test
  void rejectsPrimeCharactersOutsideTheVocabularyListingThem() {
    Sampler sampler = new Sampler(MODEL, VOCAB);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> sampler.generate("abXcY😀X", 5, Sampler.Options.greedy(), cp -> { }));
    assertEquals("3 characters are not in the model's vocabulary: 'X', 'Y', U+1F600", e.getMessage());
  }

  @Test
  void rejectsAnEmptyPrimeAndANegativeLength() {
    Sampler sampler = new Sampler(MODEL, VOCAB);
    assertEquals("the prime text is empty", assertThrows(IllegalArgumentException.class,
        () -> sampler.generate("", 5, Sampler.Options.greedy(), cp -> { })).getMessage());
    assertEquals("length must be ≥ 0, got -1", assertThrows(IllegalArgumentException.class,
        () -> sampler.generate("a", -1, Sampler.Options.greedy(), cp -> { })).getMessage());
  }

  @Test
  void optionsRejectNegativeOrNonFiniteTemperatureAndNegativeTopK() {
    for (double bad : new double[] {-0.1, Double.NaN, Double.POSITIVE_INFINITY}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Sampler.Options(bad, 0, 1));
      assertEquals("temperature must be a finite number ≥ 0, got " + bad, e.getMessage());
    }
    assertEquals("top-k must be ≥ 0, got -2",
        assertThrows(IllegalArgumentException.class, () -> new Sampler.Options(1, -2, 1)).getMessage());
  }

  @Test
  void rejectsAModelWhoseOutputsDoNotMatchTheVocabulary() {
    CharModel model = CharModel.create(3, 4, 1, new SplittableRandom(4));
    assertEquals("model has 3 outputs but the vocabulary has 10 characters",
        assertThrows(IllegalArgumentException.class, () -> new Sampler(model, VOCAB)).getMessage());
  }

  /**
   * Draws 200,000 ids and checks each frequency within 4.5 standard deviations of its expected
   * probability (ids with probability 0 must never appear), and Pearson's chi-square over the
   * possible ids below its 0.1% critical value.
   */
  private static void assertFrequencies(double[] expected, float[] logits, Sampler.Options options, long seed) {
    int draws = 200_000;
    int[] counts = new int[logits.length];
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < draws; i++) {
      counts[Sampler.choose(logits, options, random)]++;
    }
    double chiSquare = 0;
    int possible = 0;
    for (int i = 0; i < logits.length; i++) {
      if (expected[i] == 0) {
        assertEquals(0, counts[i], "id " + i + " is outside the top k");
        continue;
      }
      possible++;
      double mean = draws * expected[i];
      double sd = Math.sqrt(draws * expected[i] * (1 - expected[i]));
      assertTrue(Math.abs(counts[i] - mean) < 4.5 * sd,
          "id " + i + ": " + counts[i] + " draws, expected " + mean + " ± " + sd + " (" + options + ")");
      chiSquare += (counts[i] - mean) * (counts[i] - mean) / mean;
    }
    // 0.1% critical values of chi-square with 1 to 4 degrees of freedom.
    double[] critical = {10.83, 13.82, 16.27, 18.47};
    assertTrue(chiSquare < critical[possible - 2], "chi-square " + chiSquare + " (" + options + ")");
  }

  private static double[] softmax(float[] logits, double temperature, int n) {
    double[] p = new double[n];
    double total = 0;
    for (int i = 0; i < n; i++) {
      p[i] = Math.exp(logits[i] / temperature);
      total += p[i];
    }
    for (int i = 0; i < n; i++) {
      p[i] /= total;
    }
    return p;
  }

  private static int argMax(float[] values, int from, int count) {
    int best = 0;
    for (int i = 1; i < count; i++) {
      if (values[from + i] > values[from + best]) {
        best = i;
      }
    }
    return best;
  }

  private static String sample(Sampler sampler, String prime, int length, Sampler.Options options) {
    StringBuilder out = new StringBuilder();
    sampler.generate(prime, length, options, out::appendCodePoint);
    return out.toString();
  }
}
