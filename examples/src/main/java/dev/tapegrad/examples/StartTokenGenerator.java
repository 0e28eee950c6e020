package dev.tapegrad.examples;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.nn.Embedding;
import dev.tapegrad.nn.Implementation;
import dev.tapegrad.nn.Linear;
import dev.tapegrad.nn.AbstractModule;
import dev.tapegrad.nn.Recurrent;
import dev.tapegrad.nn.State;
import dev.tapegrad.ops.CellKind;
import dev.tapegrad.ops.Reshape;
import dev.tapegrad.ops.SoftmaxCrossEntropy;
import dev.tapegrad.optim.Adam;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * One-to-many: from a single start token, a GRU generates a whole word, one character per step,
 * each output fed back in as the next input.
 *
 * <pre>
 *   start token '0' → "tape."     '1' → "tanh."     '2' → "gate."     '3' → "grad."
 *   training:   inputs  0 t a p e        (teacher forcing: the true previous character)
 *               targets t a p e .
 *   generating: feed '0', take the most likely character, feed it back, … until '.'
 * </pre>
 *
 * <p>"tape" and "tanh" share their first two letters, so after "ta" only the hidden state still
 * knows which start token began the word: it is the network's memory of the past. The model is the
 * char model's layout at toy size: Embedding(V, 8), GRU(8, H) (the composed
 * {@link Implementation#REFERENCE}), Linear(H, V). Run it with
 * {@code java -cp examples/target/examples.jar dev.tapegrad.examples.StartTokenGenerator}.
 */
public final class StartTokenGenerator extends AbstractModule {

  /** The words to generate; word k follows start token {@code (char) ('0' + k)}. */
  static final List<String> WORDS = List.of("tape", "tanh", "gate", "grad");
  /** The end of a word. */
  static final char END = '.';
  /** Every symbol, in id order: the start tokens, the end mark, then the letters. */
  static final String SYMBOLS = "0123.adeghnprt";
  /** GRU width. */
  static final int HIDDEN = 16;
  /** Embedding width. */
  static final int EMBEDDING = 8;
  /** The longest word generated before giving up on an end mark. */
  static final int MAX_LENGTH = 10;

  /**
   * What a run learned.
   *
   * @param losses the loss after each step (nats per character)
   * @param generated the word greedily generated from each start token, without the end mark
   */
  public record Result(List<Double> losses, Map<Character, String> generated) {
    /**
     * Copies the collections.
     *
     * @param losses the loss after each step
     * @param generated the word generated from each start token
     */
    public Result {
      losses = List.copyOf(losses);
      generated = Map.copyOf(generated);
    }
  }

  private final Embedding embedding;
  private final Recurrent gru;
  private final Linear decoder;

  /** Makes the three layers, registered under the names of their fields: {@code embedding.weight}, {@code gru.weight_ih_l0} … */
  private StartTokenGenerator(SplittableRandom random) {
    embedding = register("embedding", Embedding.create(SYMBOLS.length(), EMBEDDING, random));
    gru = register("gru", Recurrent.create(CellKind.GRU, EMBEDDING, HIDDEN, 1, random));
    decoder = register("decoder", Linear.create(HIDDEN, SYMBOLS.length(), random));
  }

  /**
   * Trains from a seed and prints what each start token generates.
   *
   * @param args unused
   */
  public static void main(String[] args) {
    Result r = train(3, 100, System.out);
    r.generated().entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(e -> System.out.println("'" + e.getKey() + "' -> " + e.getValue()));
  }

  /**
   * Trains a fresh model on the four words, then generates from each start token.
   *
   * @param seed seeds the initial weights
   * @param steps Adam steps to take
   * @param log receives a line every 25 steps, or {@code null} for silence
   * @return the losses and the generated words
   */
  public static Result train(long seed, int steps, PrintStream log) {
    StartTokenGenerator model = new StartTokenGenerator(new SplittableRandom(seed));
    int batch = WORDS.size();
    int length = WORDS.get(0).length() + 1;
    int[] inputs = new int[batch * length];
    int[] targets = new int[batch * length];
    for (int k = 0; k < batch; k++) {
      // inputs: the start token, then the word; targets: the word, then the end mark
      String in = (char) ('0' + k) + WORDS.get(k);
      String out = WORDS.get(k) + END;
      for (int t = 0; t < length; t++) {
        inputs[k * length + t] = id(in.charAt(t));
        targets[k * length + t] = id(out.charAt(t));
      }
    }
    Adam adam = Adam.builder().lr(0.03).build(model.namedParameters());

    List<Double> losses = new ArrayList<>();
    for (int step = 1; step <= steps; step++) {
      adam.zeroGrad();
      Tape tape = new Tape();
      Variable logits = model.forward(tape, inputs, batch, length, null).logits();
      Variable loss = SoftmaxCrossEntropy.apply(tape, logits, targets);
      tape.backward(loss);
      adam.step();
      losses.add((double) loss.value().item());
      if (log != null && step % 25 == 0) {
        log.printf("step %4d  loss %.4f%n", step, loss.value().item());
      }
    }

    Map<Character, String> generated = new LinkedHashMap<>();
    for (int k = 0; k < batch; k++) {
      char start = (char) ('0' + k);
      generated.put(start, model.generate(start));
    }
    return new Result(losses, generated);
  }

  /** Logits for every position, (N·L)×V, and the GRU's final state to continue from. */
  private record Step(Variable logits, List<State> state) {}

  private Step forward(Tape tape, int[] ids, int batch, int length, List<State> initial) {
    Variable x = Reshape.apply(tape, embedding.forward(tape, ids), batch, length, EMBEDDING);
    Recurrent.Output out = gru.forward(tape, x, initial, Implementation.REFERENCE);
    Variable logits = decoder.forward(tape, Reshape.apply(tape, out.output(), batch * length, HIDDEN));
    return new Step(logits, out.states());
  }

  /** Feeds the start token, then each most likely character back in, until the end mark. */
  private String generate(char start) {
    StringBuilder word = new StringBuilder();
    Tape tape = new Tape();
    try (Tape.NoGrad off = tape.noGrad()) {
      int next = id(start);
      List<State> state = null;
      for (int i = 0; i < MAX_LENGTH; i++) {
        // one step: the state carries everything generated so far
        Step step = forward(tape, new int[] {next}, 1, 1, state);
        state = step.state();
        next = argMax(step.logits().value().data());
        if (SYMBOLS.charAt(next) == END) {
          break;
        }
        word.append(SYMBOLS.charAt(next));
      }
    }
    return word.toString();
  }

  private static int id(char symbol) {
    int id = SYMBOLS.indexOf(symbol);
    if (id < 0) {
      throw new IllegalArgumentException("'" + symbol + "' is not one of " + SYMBOLS);
    }
    return id;
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
