package dev.tapegrad.rnn.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.nn.Implementation;
import dev.tapegrad.rnn.CharModel;
import dev.tapegrad.rnn.text.CharVocabulary;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.IntSupplier;
import java.util.stream.IntStream;
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
      CharModel.Forward f = MODEL.forward(tape, ids, 1, ids.length, null, Implementation.FUSED);
      for (int i = 0; i < 30; i++) {
        float[] logits = f.logits().value().storage();
        int best = argMax(logits, logits.length - VOCAB.size(), VOCAB.size());
        expected.appendCodePoint(VOCAB.codePoint(best));
        f = MODEL.forward(tape, new int[] {best}, 1, 1, f.state(), Implementation.FUSED);
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

  /** Probabilities 0.15, 0.5, 0.05, 0.3 (shuffled, so the order by likelihood is 1, 3, 0, 2). */
  private static final float[] NUCLEUS = {(float) Math.log(0.15), (float) Math.log(0.5), (float) Math.log(0.05),
      (float) Math.log(0.3)};

  @Test
  void topPKeepsTheSmallestSetOfMostLikelyCharactersReachingP() {
    assertEquals(Set.of(1), kept(NUCLEUS, 0.3), "0.5 alone passes 0.3");
    assertEquals(Set.of(1), kept(NUCLEUS, 0.5), "0.5 reaches 0.5 exactly");
    assertEquals(Set.of(1, 3), kept(NUCLEUS, 0.51));
    assertEquals(Set.of(1, 3), kept(NUCLEUS, 0.8), "0.5 + 0.3 reaches 0.8 despite float rounding");
    assertEquals(Set.of(1, 3, 0), kept(NUCLEUS, 0.81));
    assertEquals(Set.of(1, 3, 0), kept(NUCLEUS, 0.95));
    assertEquals(Set.of(1, 3, 0, 2), kept(NUCLEUS, 0.96));
    assertEquals(Set.of(1, 3, 0, 2), kept(NUCLEUS, 1));
  }

  @Test
  void topPCountsAMassWithinFloatRoundingOfPAsReachingIt() {
    float[] logits = {(float) Math.log(0.4), (float) Math.log(0.3), (float) Math.log(0.2), (float) Math.log(0.1)};
    double[] p = probabilities(logits, new Sampler.Options(1, 0, 0));
    assertTrue(p[0] < 0.4 && p[0] > 0.4 - 1e-8, "float logits make 0.4 a little less: " + p[0]);
    assertEquals(Set.of(0), kept(logits, 0.4));
    assertEquals(Set.of(0, 1), kept(logits, 0.4 + 2 * Sampler.TOP_P_SLACK), "the slack is small");
  }

  @Test
  void topPRenormalisesTheKeptProbabilities() {
    double[] p = probabilities(NUCLEUS, new Sampler.Options(1, 0, 0).withTopP(0.8));
    assertArrayEquals(new double[] {0, 0.5 / 0.8, 0, 0.3 / 0.8}, p, 1e-6);
    assertArrayEquals(new double[] {0.15, 0.5, 0.05, 0.3}, probabilities(NUCLEUS, new Sampler.Options(1, 0, 0)), 1e-6);
  }

  @Test
  void topPSettlesTiesByIdSoTheSameSetIsKeptEveryTime() {
    float[] logits = {0f, 2f, 2f, 2f};
    assertEquals(Set.of(1), kept(logits, 0.2), "the lowest id of the tied first");
    assertEquals(Set.of(1, 2), kept(logits, 0.5));
    assertEquals(Set.of(1, 2, 3), kept(logits, 0.9));
    float[] reversed = {2f, 2f, 2f, 0f};
    assertEquals(Set.of(0, 1), kept(reversed, 0.5));
  }

  @Test
  void topPWithATinyPIsGreedy() {
    Sampler sampler = new Sampler(MODEL, VOCAB);
    String greedy = sampler.greedy("bad", 60);
    for (long seed : new long[] {0, 1, 99}) {
      assertEquals(greedy, sample(sampler, "bad", 60, new Sampler.Options(1.5, 0, seed).withTopP(1e-9)));
    }
    SplittableRandom random = new SplittableRandom(3);
    float[] tied = {1f, 3f, 3f, 0f};
    for (int i = 0; i < 100; i++) {
      assertEquals(1, Sampler.choose(tied, new Sampler.Options(2, 0, 0).withTopP(1e-9), random));
    }
    assertEquals(1, Sampler.choose(tied, Sampler.Options.greedy(), random), "greedy takes the first of ties too");
  }

  @Test
  void topPDrawsFollowTheNucleusRenormalised() {
    assertFrequencies(new double[] {0, 0.5 / 0.8, 0, 0.3 / 0.8}, NUCLEUS, new Sampler.Options(1, 0, 0).withTopP(0.8),
        11);
    assertFrequencies(new double[] {0.15 / 0.95, 0.5 / 0.95, 0, 0.3 / 0.95}, NUCLEUS,
        new Sampler.Options(1, 0, 0).withTopP(0.9), 12);
  }

  @Test
  void topPCutsAfterTemperatureAndTopK() {
    float[] logits = {1f, 0f, -1f, 2f, 0.5f};
    // At T = 0.7, top-k 3 keeps ids 3, 0 and 4 with weights e^(2/0.7), e^(1/0.7), e^(0.5/0.7):
    // probabilities 0.737, 0.177 and 0.087, so p = 0.9 needs the first two (0.914), and p = 0.92 all three.
    double a = Math.exp(2 / 0.7);
    double b = Math.exp(1 / 0.7);
    double c = Math.exp(0.5 / 0.7);
    assertEquals(0.914, (a + b) / (a + b + c), 1e-3);
    Sampler.Options options = new Sampler.Options(0.7, 3, 0).withTopP(0.9);
    assertEquals(Set.of(3, 0), kept(logits, options));
    assertEquals(Set.of(3, 0, 4), kept(logits, options.withTopP(0.92)));
    assertFrequencies(new double[] {b / (a + b), 0, 0, a / (a + b), 0}, logits, options, 13);
    // At T = 2 the same p keeps all three: a higher temperature widens the nucleus.
    assertEquals(Set.of(3, 0, 4), kept(logits, new Sampler.Options(2, 3, 0).withTopP(0.9)));
  }

  @Test
  void sampleStreamsDrawTheTruncatedDistributionAcrossSeeds() {
    Sampler.Options options = new Sampler.Options(1, 0, 0).withTopP(0.9);
    // 50,000 seeds × 4 samples: the first draw of each stream.
    int[] next = {0};
    assertFrequencies(new double[] {0.15 / 0.95, 0.5 / 0.95, 0, 0.3 / 0.95}, () -> {
      int k = next[0]++;
      return Sampler.choose(NUCLEUS, options, Sampler.randomFor(k / 4, k % 4));
    }, "first draws of 200,000 streams");
  }

  @Test
  void repetitionPenaltyLowersTheLogitsOfRecentCharactersOnly() {
    float[] logits = {2f, -1f, 0.5f, 3f, -2f};
    Sampler.RecentCharacters recent = recent(3, 5, 0, 1, 0);
    float[] penalised = logits.clone();
    Sampler.penalise(penalised, recent, 2);
    // Seen: 2 / 2 and −1 · 2. Unseen: untouched, to the bit.
    assertArrayEquals(new float[] {1f, -2f, 0.5f, 3f, -2f}, penalised);
    double[] before = softmax(logits, 1, logits.length);
    double[] after = softmax(penalised, 1, logits.length);
    for (int seen : new int[] {0, 1}) {
      assertTrue(after[seen] < before[seen], "id " + seen + ": " + before[seen] + " → " + after[seen]);
    }
    for (int unseen : new int[] {2, 3, 4}) {
      assertTrue(after[unseen] > before[unseen], "the mass taken from seen ids goes to id " + unseen);
    }
  }

  @Test
  void repetitionPenaltyOfOneChangesNothing() {
    float[] logits = {2f, -1f, 0.5f, 3f, -2f};
    float[] penalised = logits.clone();
    Sampler.penalise(penalised, recent(5, 5, 0, 1, 2, 3, 4), 1);
    assertArrayEquals(logits, penalised);
    Sampler sampler = new Sampler(MODEL, VOCAB);
    for (long seed : new long[] {0, 5}) {
      Sampler.Options plain = new Sampler.Options(0.8, 0, seed);
      assertEquals(sample(sampler, "bad ", 80, plain), sample(sampler, "bad ", 80, plain.withRepetitionPenalty(1, 3)));
    }
  }

  @Test
  void penaltyWindowForgetsCharactersOlderThanW() {
    Sampler.RecentCharacters recent = recent(3, 5, 1, 1, 2);
    assertEquals(Set.of(1, 2), contained(recent, 5));
    recent.add(3);
    assertEquals(Set.of(1, 2, 3), contained(recent, 5), "one of the two 1s is still in the window");
    recent.add(4);
    assertEquals(Set.of(2, 3, 4), contained(recent, 5));
    recent.add(4);
    recent.add(4);
    assertEquals(Set.of(4), contained(recent, 5));
  }

  @Test
  void generationPenalisesTheCharactersOfTheLastWindowPrimeIncluded() {
    String prime = "ahead bed ";
    int window = 5;
    double penalty = 1.5;
    for (Sampler.Options base : List.of(new Sampler.Options(0.9, 0, 4), Sampler.Options.greedy())) {
      Sampler.Options options = base.withRepetitionPenalty(penalty, window);
      // The reference: a list of every id so far, and the penalty written out on its last W.
      List<Integer> history = new ArrayList<>();
      CharModel.Stepper stepper = MODEL.stepper();
      float[] logits = null;
      for (int id : VOCAB.encode(prime)) {
        history.add(id);
        logits = stepper.step(id);
      }
      SplittableRandom random = new SplittableRandom(base.seed());
      StringBuilder expected = new StringBuilder();
      for (int i = 0; i < 80; i++) {
        float[] scores = logits.clone();
        for (int id : new HashSet<>(history.subList(history.size() - window, history.size()))) {
          scores[id] = scores[id] > 0 ? (float) (scores[id] / penalty) : (float) (scores[id] * penalty);
        }
        int next = Sampler.choose(scores, base, random);
        expected.appendCodePoint(VOCAB.codePoint(next));
        history.add(next);
        logits = stepper.step(next);
      }
      Sampler sampler = new Sampler(MODEL, VOCAB);
      assertEquals(expected.toString(), sample(sampler, prime, 80, options));
      assertNotEquals(sample(sampler, prime, 80, base), expected.toString(), "the penalty changes the text");
    }
  }

  @Test
  void sampleZeroOfSeveralIsTheSingleSampleAndNoSampleDependsOnTheCount() {
    Sampler sampler = new Sampler(MODEL, VOCAB);
    for (Sampler.Options options : List.of(new Sampler.Options(1, 0, 7),
        new Sampler.Options(0.8, 5, 7).withTopP(0.9).withRepetitionPenalty(1.3, 8))) {
      List<String> three = samples(sampler, "ab", 60, options, 3);
      List<String> two = samples(sampler, "ab", 60, options, 2);
      assertEquals(sample(sampler, "ab", 60, options), three.get(0));
      assertEquals(three.subList(0, 2), two);
      assertEquals(3, new HashSet<>(three).size(), "each sample has its own stream: " + three);
    }
  }

  @Test
  void samplesAreDrawnInLockstep() {
    List<Integer> order = new ArrayList<>();
    new Sampler(MODEL, VOCAB).generate("a", 4, new Sampler.Options(1, 0, 1), 3, (sample, cp) -> order.add(sample));
    assertEquals(List.of(0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2), order);
  }

  @Test
  void sampleStreamsAreStretchesOfTheSeedsOwnStream() {
    long seed = 42;
    // What randomFor relies on: a seeded SplittableRandom moves its state on by the golden gamma per draw.
    SplittableRandom walked = new SplittableRandom(seed);
    for (int k = 0; k < 1000; k++) {
      walked.nextLong();
    }
    assertEquals(walked.nextLong(), new SplittableRandom(seed + 1000 * Sampler.GOLDEN_GAMMA).nextLong());
    assertEquals(new SplittableRandom(seed).nextLong(), Sampler.randomFor(seed, 0).nextLong());
    assertEquals(new SplittableRandom(seed + 2 * Sampler.SAMPLE_STRIDE * Sampler.GOLDEN_GAMMA).nextLong(),
        Sampler.randomFor(seed, 2).nextLong());
  }

  @Test
  void rejectsFewerThanOneSample() {
    Sampler sampler = new Sampler(MODEL, VOCAB);
    assertEquals("samples must be ≥ 1, got 0", assertThrows(IllegalArgumentException.class,
        () -> sampler.generate("a", 5, Sampler.Options.greedy(), 0, (s, cp) -> { })).getMessage());
  }

  @Test
  void optionsRejectTopPOutsideZeroToOnePenaltyBelowOneAndAnEmptyWindow() {
    Sampler.Options ok = new Sampler.Options(1, 0, 1);
    for (double bad : new double[] {0, -0.5, 1.5, Double.NaN}) {
      assertEquals("top-p must be in (0, 1], got " + bad,
          assertThrows(IllegalArgumentException.class, () -> ok.withTopP(bad)).getMessage());
    }
    for (double bad : new double[] {0.5, 0, Double.NaN, Double.POSITIVE_INFINITY}) {
      assertEquals("repetition penalty must be a finite number ≥ 1, got " + bad,
          assertThrows(IllegalArgumentException.class, () -> ok.withRepetitionPenalty(bad, 10)).getMessage());
    }
    assertEquals("penalty window must be ≥ 1, got 0",
        assertThrows(IllegalArgumentException.class, () -> ok.withRepetitionPenalty(1.2, 0)).getMessage());
  }

  @Test
  void threeArgumentOptionsLeaveTopPAndThePenaltyOff() {
    assertEquals(new Sampler.Options(0.5, 3, 1, 1, Sampler.DEFAULT_PENALTY_WINDOW, 9), new Sampler.Options(0.5, 3, 9));
    assertEquals(new Sampler.Options(0.5, 3, 0.9, 1.2, 16, 9),
        new Sampler.Options(0.5, 3, 9).withTopP(0.9).withRepetitionPenalty(1.2, 16));
  }

  @Test
  void rejectsAModelWhoseOutputsDoNotMatchTheVocabulary() {
    CharModel model = CharModel.create(3, 4, 1, new SplittableRandom(4));
    assertEquals("model has 3 outputs but the vocabulary has 10 characters",
        assertThrows(IllegalArgumentException.class, () -> new Sampler(model, VOCAB)).getMessage());
  }

  /** Draws 200,000 ids with {@code choose} from one seeded stream and checks their frequencies. */
  private static void assertFrequencies(double[] expected, float[] logits, Sampler.Options options, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    assertFrequencies(expected, () -> Sampler.choose(logits, options, random), options.toString());
  }

  /**
   * Takes 200,000 draws and checks each frequency within 4.5 standard deviations of its expected
   * probability (ids with probability 0 must never appear), and Pearson's chi-square over the
   * possible ids below its 0.1% critical value. A correct sampler fails one of the per-id bounds
   * with probability below 7e-6 each, and the chi-square bound one time in a thousand; the draws
   * are seeded, so a passing test keeps passing.
   */
  private static void assertFrequencies(double[] expected, IntSupplier draw, String what) {
    int draws = 200_000;
    int[] counts = new int[expected.length];
    for (int i = 0; i < draws; i++) {
      counts[draw.getAsInt()]++;
    }
    double chiSquare = 0;
    int possible = 0;
    for (int i = 0; i < expected.length; i++) {
      if (expected[i] == 0) {
        assertEquals(0, counts[i], "id " + i + " is cut (" + what + ")");
        continue;
      }
      possible++;
      double mean = draws * expected[i];
      double sd = Math.sqrt(draws * expected[i] * (1 - expected[i]));
      assertTrue(Math.abs(counts[i] - mean) < 4.5 * sd,
          "id " + i + ": " + counts[i] + " draws, expected " + mean + " ± " + sd + " (" + what + ")");
      chiSquare += (counts[i] - mean) * (counts[i] - mean) / mean;
    }
    // 0.1% critical values of chi-square with 1 to 4 degrees of freedom.
    double[] critical = {10.83, 13.82, 16.27, 18.47};
    assertTrue(chiSquare < critical[possible - 2], "chi-square " + chiSquare + " (" + what + ")");
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

  /** Returns the ids top-p (with T = 1, no top-k) keeps. */
  private static Set<Integer> kept(float[] logits, double topP) {
    return kept(logits, new Sampler.Options(1, 0, 0).withTopP(topP));
  }

  private static Set<Integer> kept(float[] logits, Sampler.Options options) {
    double[] weights = Sampler.weights(logits, options);
    Set<Integer> kept = new HashSet<>();
    for (int i = 0; i < weights.length; i++) {
      if (weights[i] > 0) {
        kept.add(i);
      }
    }
    return kept;
  }

  private static double[] probabilities(float[] logits, Sampler.Options options) {
    double[] weights = Sampler.weights(logits, options);
    double total = 0;
    for (double w : weights) {
      total += w;
    }
    for (int i = 0; i < weights.length; i++) {
      weights[i] /= total;
    }
    return weights;
  }

  private static Sampler.RecentCharacters recent(int window, int vocab, int... ids) {
    Sampler.RecentCharacters recent = new Sampler.RecentCharacters(window, vocab);
    for (int id : ids) {
      recent.add(id);
    }
    return recent;
  }

  private static Set<Integer> contained(Sampler.RecentCharacters recent, int vocab) {
    Set<Integer> ids = new HashSet<>();
    IntStream.range(0, vocab).filter(recent::contains).forEach(ids::add);
    return ids;
  }

  private static List<String> samples(Sampler sampler, String prime, int length, Sampler.Options options, int n) {
    List<StringBuilder> out = new ArrayList<>();
    for (int s = 0; s < n; s++) {
      out.add(new StringBuilder());
    }
    sampler.generate(prime, length, options, n, (s, cp) -> out.get(s).appendCodePoint(cp));
    return out.stream().map(StringBuilder::toString).toList();
  }

  private static String sample(Sampler sampler, String prime, int length, Sampler.Options options) {
    StringBuilder out = new StringBuilder();
    sampler.generate(prime, length, options, out::appendCodePoint);
    return out.toString();
  }
}
