package dev.tapegrad.rnn.sample;

import dev.tapegrad.rnn.CharModel;
import dev.tapegrad.rnn.text.CharVocabulary;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;

/**
 * Generates text from a trained {@link CharModel}, one character at a time.
 *
 * <p>The prime text is run through the model first, so the hidden state "remembers" it; then
 * each step turns the last logits into a distribution and draws the next character, which is fed
 * back in as the next input. The logits l become a distribution in four stages, in this order:
 * <ol>
 *   <li><b>Repetition penalty</b> R ≥ 1 (1 is off): the logit of every character that occurred in
 *       the last W characters (prime or generated) becomes l / R if it is positive and l · R if it
 *       is negative, so it always moves down (CTRL, Keskar et al. 2019).
 *   <li><b>Temperature</b> T: <pre>
 *   p_i = softmax(l / T)_i = exp(l_i / T) / Σ_j exp(l_j / T)
 * </pre>
 *       T below 1 sharpens it (safer, more repetitive text), above 1 flattens it (more surprising,
 *       more mistakes); T = 0 means greedy: always the most likely character, and the stages
 *       below do not matter.
 *   <li><b>Top-k</b>: only the k most likely characters keep their probability (all of those tied
 *       with the k-th too).
 *   <li><b>Top-p</b>, nucleus sampling (Holtzman et al. 2020): of those, only the smallest set of
 *       most likely characters whose probabilities sum to at least p (always at least one; of
 *       characters with equal logits, the lower id is taken first).
 * </ol>
 * The kept probabilities are renormalised and one character is drawn from them.
 *
 * <p><b>Why a repetition penalty, and why only over a window.</b> At low temperature a char model
 * tends to fall into a loop: the hidden state after "the state of " is much like the state before
 * it, so the same continuation wins again ("the state of the state of the state of …"), and at
 * T = 0 nothing can ever break the cycle. Lowering the scores of recently written characters
 * pushes the model off the loop. But a char model has to repeat itself: a dozen letters and the
 * space make up most of any text, so a penalty on every character written since the start would
 * soon weigh on all of them alike and favour only the rare ones (capitals, digits, punctuation).
 * The penalty is therefore local: only the last W characters count. Even so it is a blunt tool
 * for characters: in tinyshakespeare a 64-character window holds about 25 distinct characters,
 * and the true next character is among them 84% of the time (68% for 32 characters, 51% for 16),
 * so the penalty mostly weighs on the right answer too and should be mild (CTRL used R = 1.2, on
 * word pieces).
 *
 * <p>Note: CTRL's paper writes the penalty as dividing the logit by R (a per-character
 * temperature); for a negative logit that would raise the probability, so, like Hugging Face's
 * {@code RepetitionPenaltyLogitsProcessor}, negative logits are multiplied instead. A logit of
 * exactly 0 is unchanged. Unlike softmax, the rule depends on where zero lies: adding the same
 * constant to every logit changes how much the penalty takes away.
 *
 * <p>Nothing is recorded on a tape, and each sample's state is a few H-wide vectors and its last W
 * characters, so memory does not grow with the length generated.
 *
 * <pre>{@code
 * Sampler sampler = new Sampler(model, vocab);
 * Sampler.Options options = new Sampler.Options(0.75, 0, 42).withTopP(0.9).withRepetitionPenalty(1.2, 64);
 * sampler.generate("ROMEO:", 200, options, cp -> out.print(Character.toString(cp)));
 * }</pre>
 */
public final class Sampler {

  /**
   * The default penalty window W: 64 characters, about a line or two. The window has to be longer
   * than the loop it should break, and a greedy char model's loops run a line or more. Measured on
   * one model, a GRU of hidden size 192 trained for four minutes on tinyshakespeare, greedy from
   * "ROMEO:" for 5,000 characters: without a penalty it cycles with period 60 (a speaker's name and
   * one line) from character 76; with R = 1.2 and W = 16 it still cycles (period 37), with W = 32
   * (period 175) and with W = 128 (period 131), while with W = 64 its last 2,000 characters hold
   * no cycle. That a longer window loops again is presumably because it penalises nearly every
   * common character alike.
   */
  public static final int DEFAULT_PENALTY_WINDOW = 64;

  /**
   * The default temperature, {@code rnn.jar sample}'s and that of the sample the trainer prints at
   * each epoch's end: below 1, so that a half-trained model writes its likelier characters, but not
   * greedy, which soon repeats one word ({@code the the the …}) and makes training look broken.
   */
  public static final double DEFAULT_TEMPERATURE = 0.75;

  /** The default seed, {@code rnn.jar sample}'s and the trainer's per-epoch sample's. */
  public static final long DEFAULT_SEED = 42;

  /**
   * Top-p counts a running mass within this share of p as reaching it. The probabilities come from
   * float32 logits, each rounded by up to about 6e-8 (2^-24) relative: from the logits of 0.4, 0.3,
   * 0.2 and 0.1 the first comes out as 0.3999999984, and without the slack p = 0.4 would pull in a
   * second character.
   */
  static final double TOP_P_SLACK = 1e-6;

  /**
   * {@link SplittableRandom}'s seeded generator is SplitMix64: each draw first adds this constant
   * (the golden gamma) to its one-{@code long} state, so {@code new SplittableRandom(seed + k·γ)}
   * continues the stream of {@code new SplittableRandom(seed)} after k draws.
   */
  static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

  /**
   * Draws between the starts of consecutive samples' streams: 2^32, more than a sample can use (it
   * draws at most once per character, and a length is an {@code int}), so the streams never overlap.
   */
  static final long SAMPLE_STRIDE = 1L << 32;

  /**
   * How characters are drawn.
   *
   * @param temperature T ≥ 0; 0 is greedy
   * @param topK keep only the k most likely characters; 0 keeps all
   * @param topP p in (0, 1]: keep only the smallest set of most likely characters whose
   *     probabilities sum to at least p; 1 keeps all
   * @param repetitionPenalty R ≥ 1: the logits of characters seen in the last {@code penaltyWindow}
   *     characters are divided by R if positive, multiplied by R if negative; 1 is off
   * @param penaltyWindow W ≥ 1: how many of the latest characters, prime included, the penalty looks at
   * @param seed seeds the draw, so the same seed gives the same text
   */
  public record Options(double temperature, int topK, double topP, double repetitionPenalty, int penaltyWindow,
      long seed) {
    /** Validates the options. */
    public Options {
      if (!(temperature >= 0) || Double.isInfinite(temperature)) {
        throw new IllegalArgumentException("temperature must be a finite number ≥ 0, got " + temperature);
      }
      if (topK < 0) {
        throw new IllegalArgumentException("top-k must be ≥ 0, got " + topK);
      }
      if (!(topP > 0 && topP <= 1)) {
        throw new IllegalArgumentException("top-p must be in (0, 1], got " + topP);
      }
      if (!(repetitionPenalty >= 1) || Double.isInfinite(repetitionPenalty)) {
        throw new IllegalArgumentException(
            "repetition penalty must be a finite number ≥ 1, got " + repetitionPenalty);
      }
      if (penaltyWindow < 1) {
        throw new IllegalArgumentException("penalty window must be ≥ 1, got " + penaltyWindow);
      }
    }

    /**
     * Options with top-p and the repetition penalty off.
     *
     * @param temperature T ≥ 0; 0 is greedy
     * @param topK keep only the k most likely characters; 0 keeps all
     * @param seed seeds the draw
     */
    public Options(double temperature, int topK, long seed) {
      this(temperature, topK, 1, 1, DEFAULT_PENALTY_WINDOW, seed);
    }

    /** Returns these options with top-p set to {@code topP}, in (0, 1]. */
    public Options withTopP(double topP) {
      return new Options(temperature, topK, topP, repetitionPenalty, penaltyWindow, seed);
    }

    /** Returns these options with repetition penalty R = {@code penalty} over the last {@code window} characters. */
    public Options withRepetitionPenalty(double penalty, int window) {
      return new Options(temperature, topK, topP, penalty, window, seed);
    }

    /** {@return the defaults: temperature {@value Sampler#DEFAULT_TEMPERATURE}, seed {@value Sampler#DEFAULT_SEED}} */
    public static Options defaults() {
      return new Options(DEFAULT_TEMPERATURE, 0, DEFAULT_SEED);
    }

    /** Greedy decoding: always the most likely character. */
    public static Options greedy() {
      return new Options(0, 0, 0);
    }
  }

  /** Receives the characters of several samples generated side by side. */
  @FunctionalInterface
  public interface SampleConsumer {
    /**
     * Takes the next character of one sample.
     *
     * @param sample which sample, from 0
     * @param codePoint the character drawn, as a Unicode code point
     */
    void accept(int sample, int codePoint);
  }

  private final CharModel model;
  private final CharVocabulary vocab;

  /**
   * Creates a sampler.
   *
   * @param model the trained model
   * @param vocab its vocabulary
   */
  public Sampler(CharModel model, CharVocabulary vocab) {
    if (model.vocab() != vocab.size()) {
      throw new IllegalArgumentException(
          "model has " + model.vocab() + " outputs but the vocabulary has " + vocab.size() + " characters");
    }
    this.model = model;
    this.vocab = vocab;
  }

  /**
   * Primes the model with {@code prime} and streams {@code length} generated characters (not the
   * prime) to {@code out}, as Unicode code points. The same as sample 0 of
   * {@link #generate(String, int, Options, int, SampleConsumer)}.
   *
   * @param prime at least one character, all in the vocabulary (after its lower-casing rule)
   * @param length how many characters to generate
   * @param options temperature, top-k, top-p, repetition penalty and seed
   * @param out receives each generated code point as soon as it is drawn
   * @throws IllegalArgumentException listing characters that are not in the vocabulary
   */
  public void generate(String prime, int length, Options options, IntConsumer out) {
    generate(prime, length, options, 1, (sample, codePoint) -> out.accept(codePoint));
  }

  /**
   * Generates {@code samples} independent continuations of {@code prime}, each {@code length}
   * characters long, side by side: each sample has its own model state and random stream, and
   * every sample draws its i-th character before any draws its (i+1)-th.
   *
   * <p>Sample i draws from {@code new SplittableRandom(seed + i · 2^32 · γ)}, the stream of
   * {@code new SplittableRandom(seed)} 2^32 draws on, so sample 0 is exactly the single sample of
   * the same seed, sample i does not depend on how many samples are asked for, and no two samples
   * share a draw.
   *
   * <pre>{@code
   * StringBuilder[] texts = {new StringBuilder(), new StringBuilder(), new StringBuilder()};
   * sampler.generate("ROMEO:", 200, options, 3, (sample, cp) -> texts[sample].appendCodePoint(cp));
   * }</pre>
   *
   * @param prime at least one character, all in the vocabulary (after its lower-casing rule)
   * @param length how many characters each sample gets
   * @param options temperature, top-k, top-p, repetition penalty and seed
   * @param samples how many samples, at least 1
   * @param out receives each sample's code points as they are drawn
   * @throws IllegalArgumentException listing characters that are not in the vocabulary
   */
  public void generate(String prime, int length, Options options, int samples, SampleConsumer out) {
    int[] primeIds = vocab.encode(prime);
    if (primeIds.length == 0) {
      throw new IllegalArgumentException("the prime text is empty");
    }
    if (length < 0) {
      throw new IllegalArgumentException("length must be ≥ 0, got " + length);
    }
    if (samples < 1) {
      throw new IllegalArgumentException("samples must be ≥ 1, got " + samples);
    }
    // The window never needs to be longer than all the characters there will be.
    int window = (int) Math.min(options.penaltyWindow(), (long) primeIds.length + length);
    SampleState[] states = new SampleState[samples];
    for (int s = 0; s < samples; s++) {
      states[s] = new SampleState(model.stepper(), randomFor(options.seed(), s), options, window, vocab.size());
      for (int id : primeIds) {
        states[s].feed(id);
      }
    }
    for (int i = 0; i < length; i++) {
      for (int s = 0; s < samples; s++) {
        int next = states[s].draw(options);
        out.accept(s, vocab.codePoint(next));
        states[s].feed(next);
      }
    }
  }

  /**
   * Returns the prime to start from when none is given: a newline, so that the model begins as at
   * the start of a line, or the vocabulary's first character if it has no newline.
   *
   * @param vocab the model's vocabulary
   * @return one character
   */
  public static String defaultPrime(CharVocabulary vocab) {
    return vocab.contains('\n') ? "\n" : new String(Character.toChars(vocab.codePoint(0)));
  }

  /**
   * Returns {@code length} characters drawn after {@code prime}: sample 0 of
   * {@link #generate(String, int, Options, int, SampleConsumer)}, as a string.
   *
   * @param prime the prime text
   * @param length how many characters to generate
   * @param options how to draw them
   * @return the generated text, without the prime
   */
  public String sample(String prime, int length, Options options) {
    StringBuilder sb = new StringBuilder();
    generate(prime, length, options, sb::appendCodePoint);
    return sb.toString();
  }

  /**
   * Returns {@code length} greedily generated characters after {@code prime}.
   *
   * @param prime the prime text
   * @param length how many characters to generate
   * @return the generated text, without the prime
   */
  public String greedy(String prime, int length) {
    return sample(prime, length, Options.greedy());
  }

  /**
   * Draws the next id from logits, for callers that run their own loop (benchmarks, embedders).
   *
   * @param logits V scores
   * @param temperature T ≥ 0; 0 is greedy
   * @param topK keep only the k most likely; 0 keeps all
   * @param random the source of the draw
   * @return the chosen id
   */
  public static int draw(float[] logits, double temperature, int topK, SplittableRandom random) {
    return choose(logits, new Options(temperature, topK, 0), random);
  }

  /**
   * Draws the next id from logits into a caller's buffer, so that a loop of draws allocates
   * nothing (with top-k or top-p, each draw still sorts a copy). The repetition penalty is not
   * applied here: it needs the recent characters.
   *
   * @param logits V scores
   * @param options temperature, top-k and top-p
   * @param random the source of the draw
   * @param weights V doubles to work in, overwritten
   * @return the chosen id
   */
  public static int draw(float[] logits, Options options, SplittableRandom random, double[] weights) {
    return choose(logits, options, random, weights);
  }

  /** Returns sample {@code sample}'s random stream: the seed's own stream, {@code sample · 2^32} draws on. */
  static SplittableRandom randomFor(long seed, int sample) {
    return new SplittableRandom(seed + sample * SAMPLE_STRIDE * GOLDEN_GAMMA);
  }

  /**
   * Draws an id from {@code softmax(logits / T)} cut to the top k and then to the top p, or the
   * arg-max when T = 0. The repetition penalty is not applied here: it needs the recent characters.
   *
   * @param logits V scores
   * @param options temperature, top-k and top-p
   * @param random the source of the draw
   * @return the chosen id
   */
  static int choose(float[] logits, Options options, SplittableRandom random) {
    return choose(logits, options, random, new double[logits.length]);
  }

  /** {@link #choose(float[], Options, SplittableRandom)} working in {@code weights}, V doubles. */
  static int choose(float[] logits, Options options, SplittableRandom random, double[] weights) {
    if (options.temperature() == 0) {
      return argMax(logits);
    }
    weights(logits, options, weights);
    double total = 0;
    for (double w : weights) {
      total += w;
    }
    double u = random.nextDouble() * total;
    for (int i = 0; i < weights.length; i++) {
      u -= weights[i];
      if (u < 0) {
        return i;
      }
    }
    return argMax(logits);
  }

  /**
   * Returns the unnormalised probabilities {@code exp((l_i − max) / T)} of the characters kept by
   * top-k and top-p, and 0 for the others. T must be positive.
   *
   * @param logits V scores
   * @param options temperature, top-k and top-p
   * @return V weights, at least one of them positive
   */
  static double[] weights(float[] logits, Options options) {
    return weights(logits, options, new double[logits.length]);
  }

  /** {@link #weights(float[], Options)} written into {@code weights}, V doubles; returns it. */
  static double[] weights(float[] logits, Options options, double[] weights) {
    int vocab = logits.length;
    // The k-th largest logit is the cut-off; ties at the cut-off are all kept.
    float cutoff = Float.NEGATIVE_INFINITY;
    if (options.topK() > 0 && options.topK() < vocab) {
      float[] sorted = logits.clone();
      Arrays.sort(sorted);
      cutoff = sorted[vocab - options.topK()];
    }
    // p_i ∝ exp((l_i − max) / T), computed in double; the max shift keeps exp ≤ 1.
    float max = logits[argMax(logits)];
    double total = 0;
    for (int i = 0; i < vocab; i++) {
      weights[i] = logits[i] >= cutoff ? Math.exp((logits[i] - max) / options.temperature()) : 0;
      total += weights[i];
    }
    if (options.topP() < 1) {
      keepNucleus(logits, weights, total, options.topP());
    }
    return weights;
  }

  /**
   * Top-p: zeroes every weight outside the smallest set of most likely characters whose share of
   * {@code total} reaches p. Characters are taken largest logit first, and equal logits lowest id
   * first, so ties are settled the same way on every run, and the first character kept is always
   * the one greedy decoding would pick. (Top-k instead keeps every character tied at its cut-off:
   * its cut is a rank, while top-p's is the smallest set, which a tie at the edge can only meet by
   * choosing.)
   */
  private static void keepNucleus(float[] logits, double[] weights, double total, double topP) {
    Integer[] byLikelihood = new Integer[logits.length];
    int n = 0;
    for (int i = 0; i < logits.length; i++) {
      if (weights[i] > 0) {
        byLikelihood[n++] = i;
      }
    }
    Arrays.sort(byLikelihood, 0, n,
        (a, b) -> logits[a] > logits[b] ? -1 : logits[a] < logits[b] ? 1 : Integer.compare(a, b));
    // Take characters in that order until their mass reaches p of the total (less the slack).
    double needed = (topP - TOP_P_SLACK) * total;
    double mass = 0;
    int keep = 0;
    do {
      mass += weights[byLikelihood[keep++]];
    } while (keep < n && mass < needed);
    for (int j = keep; j < n; j++) {
      weights[byLikelihood[j]] = 0;
    }
  }

  /**
   * Applies the repetition penalty in place: every logit of a character in {@code recent} becomes
   * l / R if positive and l · R if negative; the others are untouched.
   *
   * @param logits V scores, changed in place
   * @param recent the characters of the window
   * @param penalty R ≥ 1
   */
  static void penalise(float[] logits, RecentCharacters recent, double penalty) {
    for (int c = 0; c < logits.length; c++) {
      if (recent.contains(c)) {
        // CTRL's rule made sign-aware: both branches move the logit down (or leave 0 where it is).
        logits[c] = logits[c] > 0 ? (float) (logits[c] / penalty) : (float) (logits[c] * penalty);
      }
    }
  }

  /**
   * The last W character ids, in a ring buffer, with how often each id occurs among them, so that
   * "was c among the last W?" is one array read.
   */
  static final class RecentCharacters {
    private final int[] ring;
    private final int[] counts;
    private int next;
    private boolean full;

    /**
     * Creates an empty window.
     *
     * @param window W ≥ 1
     * @param vocab V
     */
    RecentCharacters(int window, int vocab) {
      this.ring = new int[window];
      this.counts = new int[vocab];
    }

    /** Adds {@code id} as the newest character, forgetting the oldest once there are W. */
    void add(int id) {
      if (full) {
        counts[ring[next]]--;
      }
      ring[next] = id;
      counts[id]++;
      next = (next + 1) % ring.length;
      full |= next == 0;
    }

    /** Returns whether {@code id} is among the last W characters. */
    boolean contains(int id) {
      return counts[id] > 0;
    }
  }

  /** One sample's own state: the model's hidden state, its random stream and, with a penalty, its last W characters. */
  private static final class SampleState {
    private final CharModel.Stepper stepper;
    private final SplittableRandom random;
    private final RecentCharacters recent;
    private final float[] penalised;
    /** Where each draw computes its probabilities: a draw allocates nothing. */
    private final double[] weights;
    private float[] logits;

    SampleState(CharModel.Stepper stepper, SplittableRandom random, Options options, int window, int vocab) {
      this.stepper = stepper;
      this.random = random;
      boolean penalty = options.repetitionPenalty() > 1;
      this.recent = penalty ? new RecentCharacters(window, vocab) : null;
      this.penalised = penalty ? new float[vocab] : null;
      this.weights = new double[vocab];
    }

    /** Feeds one character (prime or generated) to the model and to the window. */
    void feed(int id) {
      logits = stepper.step(id);
      if (recent != null) {
        recent.add(id);
      }
    }

    /** Draws the next character from the logits of the last character fed. */
    int draw(Options options) {
      if (recent == null) {
        return choose(logits, options, random, weights);
      }
      System.arraycopy(logits, 0, penalised, 0, logits.length);
      penalise(penalised, recent, options.repetitionPenalty());
      return choose(penalised, options, random, weights);
    }
  }

  private static int argMax(float[] values) {
    int best = 0;
    for (int i = 1; i < values.length; i++) {
      if (values[i] > values[best]) {
        best = i;
      }
    }
    return best;
  }
}
