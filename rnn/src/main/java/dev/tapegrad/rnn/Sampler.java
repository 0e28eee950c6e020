package dev.tapegrad.rnn;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.IntConsumer;

/**
 * Generates text from a trained {@link CharModel}, one character at a time.
 *
 * <p>The prime text is run through the model first, so the hidden state "remembers" it; then
 * each step turns the last logits into a distribution and draws the next character, which is fed
 * back in as the next input. With temperature T the distribution is
 * <pre>
 *   p_i = softmax(logits / T)_i = exp(logits_i / T) / Σ_j exp(logits_j / T)
 * </pre>
 * T below 1 sharpens it (safer, more repetitive text), above 1 flattens it (more surprising, more
 * mistakes); T = 0 means greedy: always the most likely character. With top-k, only the k most
 * likely characters keep their probability (renormalised).
 *
 * <p>Nothing is recorded on a tape, and the state is a few H-wide vectors, so memory does not
 * grow with the length generated.
 *
 * <pre>{@code
 * Sampler sampler = new Sampler(model, vocab);
 * sampler.generate("ROMEO:", 200, new Sampler.Options(0.75, 0, 42), cp -> out.print(Character.toString(cp)));
 * }</pre>
 */
public final class Sampler {

  /**
   * How characters are drawn.
   *
   * @param temperature T ≥ 0; 0 is greedy
   * @param topK keep only the k most likely characters; 0 keeps all
   * @param seed seeds the draw, so the same seed gives the same text
   */
  public record Options(double temperature, int topK, long seed) {
    /** Validates the options. */
    public Options {
      if (!(temperature >= 0) || Double.isInfinite(temperature)) {
        throw new IllegalArgumentException("temperature must be a finite number ≥ 0, got " + temperature);
      }
      if (topK < 0) {
        throw new IllegalArgumentException("top-k must be ≥ 0, got " + topK);
      }
    }

    /** Greedy decoding: always the most likely character. */
    public static Options greedy() {
      return new Options(0, 0, 0);
    }
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
   * prime) to {@code out}, as Unicode code points.
   *
   * @param prime at least one character, all in the vocabulary (after its lower-casing rule)
   * @param length how many characters to generate
   * @param options temperature, top-k and seed
   * @param out receives each generated code point as soon as it is drawn
   * @throws IllegalArgumentException listing characters that are not in the vocabulary
   */
  public void generate(String prime, int length, Options options, IntConsumer out) {
    int[] primeIds = vocab.encode(prime);
    if (primeIds.length == 0) {
      throw new IllegalArgumentException("the prime text is empty");
    }
    if (length < 0) {
      throw new IllegalArgumentException("length must be ≥ 0, got " + length);
    }
    SplittableRandom random = new SplittableRandom(options.seed());
    CharModel.Stepper stepper = model.stepper();
    float[] logits = null;
    for (int id : primeIds) {
      logits = stepper.step(id);
    }
    for (int i = 0; i < length; i++) {
      int next = choose(logits, options, random);
      out.accept(vocab.codePoint(next));
      logits = stepper.step(next);
    }
  }

  /**
   * Returns {@code length} greedily generated characters after {@code prime}.
   *
   * @param prime the prime text
   * @param length how many characters to generate
   * @return the generated text, without the prime
   */
  public String greedy(String prime, int length) {
    StringBuilder sb = new StringBuilder();
    generate(prime, length, Options.greedy(), sb::appendCodePoint);
    return sb.toString();
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
   * Draws an id from {@code softmax(logits / T)} restricted to the top k, or the arg-max when T = 0.
   *
   * @param logits V scores
   * @param options temperature and top-k
   * @param random the source of the draw
   * @return the chosen id
   */
  static int choose(float[] logits, Options options, SplittableRandom random) {
    int vocab = logits.length;
    if (options.temperature() == 0) {
      return argMax(logits);
    }
    // The k-th largest logit is the cut-off; ties at the cut-off are all kept.
    float cutoff = Float.NEGATIVE_INFINITY;
    if (options.topK() > 0 && options.topK() < vocab) {
      float[] sorted = logits.clone();
      Arrays.sort(sorted);
      cutoff = sorted[vocab - options.topK()];
    }
    // p_i ∝ exp((l_i − max) / T), computed in double; the max shift keeps exp ≤ 1.
    float max = logits[argMax(logits)];
    double[] weights = new double[vocab];
    double total = 0;
    for (int i = 0; i < vocab; i++) {
      if (logits[i] >= cutoff) {
        weights[i] = Math.exp((logits[i] - max) / options.temperature());
        total += weights[i];
      }
    }
    double u = random.nextDouble() * total;
    for (int i = 0; i < vocab; i++) {
      u -= weights[i];
      if (u < 0) {
        return i;
      }
    }
    return argMax(logits);
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
