package dev.tapegrad.rnn.visualize;

import dev.tapegrad.nn.RecurrentStepper;
import dev.tapegrad.ops.CellKind;
import dev.tapegrad.rnn.CharModel;
import dev.tapegrad.rnn.text.CharVocabulary;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What a char model computes while it reads a text, one character at a time: the loss on each
 * character, the most likely next characters after it, and each layer's state and gates after it.
 *
 * <p>The text runs through the tape-free stepper that {@code sample} uses ({@link CharModel.Stepper}),
 * from a zero state, so every number here is the one sampling computes at that point of the text.
 * After character t has been read:
 * <pre>
 *   p_t        = softmax(logits_t)                    the model's guess for character t + 1
 *   loss_{t+1} = −log₂ p_t[id_{t+1}]                  bits; character 0 has no context and no loss
 *   h_t, c_t, gates_t of every layer                  from the stepper ({@link RecurrentStepper#gate})
 * </pre>
 * Which values are kept depends on the cell ({@link Signal#of}): h for every cell, r and z for the
 * GRU, c, i, f and o for the LSTM; the GRU's n and the LSTM's g are not kept.
 *
 * <pre>{@code
 * ActivationTrace trace = ActivationTrace.record(model, vocab, vocab.encode("ROMEO:\nWhat"));
 * trace.lossBits(3);              // the loss on 'M', in bits
 * trace.value(0, Signal.H, 3, 17);   // layer 0's h, unit 17, after 'M'
 * }</pre>
 */
public final class ActivationTrace {

  /** How many next-character guesses are kept per character. */
  public static final int TOP = 5;

  /** A gate is left-saturated below this value ({@link #saturation}), as in Karpathy et al. (2015). */
  public static final double LEFT_SATURATED = 0.1;

  /** A gate is right-saturated above this value. */
  public static final double RIGHT_SATURATED = 0.9;

  /**
   * One kind of value kept per layer, unit and character: a state or a gate, by its PyTorch name.
   */
  public enum Signal {
    /** The hidden state h, in (−1, 1): the layer's output. */
    H("h", "hidden state h", false),
    /** The LSTM's cell state c, unbounded; pages show tanh(c), as Karpathy et al. did. */
    C("c", "cell state c (shown as tanh c)", false),
    /** The GRU's reset gate r, in (0, 1): how much of h enters the candidate n. */
    R("r", "reset gate r", true),
    /** The GRU's update gate z, in (0, 1): near 1, the unit keeps its old value. */
    Z("z", "update gate z", true),
    /** The LSTM's input gate i, in (0, 1): how much of the candidate g is written into c. */
    I("i", "input gate i", true),
    /** The LSTM's forget gate f, in (0, 1): near 1, the cell keeps its old value. */
    F("f", "forget gate f", true),
    /** The LSTM's output gate o, in (0, 1): how much of tanh(c) is shown as h. */
    O("o", "output gate o", true);

    private final String id;
    private final String description;
    private final boolean gate;

    Signal(String id, String description, boolean gate) {
      this.id = id;
      this.description = description;
      this.gate = gate;
    }

    /** {@return the short name: h, c, or the gate's PyTorch name} */
    public String id() {
      return id;
    }

    /** {@return a few words for a legend, for example "update gate z"} */
    public String description() {
      return description;
    }

    /** {@return whether this is a gate, a sigmoid in (0, 1), rather than a state} */
    public boolean gate() {
      return gate;
    }

    /**
     * Returns the signals kept for a cell, states first: h, r, z for the GRU; h, c, i, f, o for the
     * LSTM; h for the RNN, which has no gates.
     *
     * @param kind the cell
     * @return the signals, in the order pages and files list them
     */
    public static List<Signal> of(CellKind kind) {
      return switch (kind) {
        case GRU -> List.of(H, R, Z);
        case LSTM -> List.of(H, C, I, F, O);
        case RNN -> List.of(H);
      };
    }
  }

  private final CharModel model;
  private final CharVocabulary vocab;
  private final int[] ids;
  private final List<Signal> signals;
  private final double[] lossBits;
  private final int[][] topIds;
  private final double[][] topProbabilities;
  // values[layer][signal][t · H + unit]
  private final float[][][] values;

  private ActivationTrace(CharModel model, CharVocabulary vocab, int[] ids) {
    this.model = model;
    this.vocab = vocab;
    this.ids = ids.clone();
    this.signals = Signal.of(model.cell());
    int length = ids.length;
    this.lossBits = new double[length];
    this.topIds = new int[length][];
    this.topProbabilities = new double[length][];
    this.values = new float[model.layers()][signals.size()][length * model.hidden()];
  }

  /**
   * Runs the text through a fresh stepper of {@code model}, from a zero state, and keeps what the
   * class comment lists.
   *
   * @param model the model
   * @param vocab its vocabulary
   * @param ids the text's ids, at least one
   * @return the trace
   * @throws IllegalArgumentException if the text is empty, an id is out of range, or the
   *     vocabulary does not fit the model
   */
  public static ActivationTrace record(CharModel model, CharVocabulary vocab, int[] ids) {
    Objects.requireNonNull(model, "model");
    if (model.vocab() != vocab.size()) {
      throw new IllegalArgumentException(
          "model has " + model.vocab() + " outputs but the vocabulary has " + vocab.size() + " characters");
    }
    if (ids.length == 0) {
      throw new IllegalArgumentException("the text to trace is empty");
    }
    ActivationTrace trace = new ActivationTrace(model, vocab, ids);
    trace.run();
    return trace;
  }

  private void run() {
    CharModel.Stepper stepper = model.stepper();
    RecurrentStepper recurrent = stepper.recurrent();
    int hidden = model.hidden();
    int top = Math.min(TOP, model.vocab());
    double[] logSoftmax = new double[model.vocab()];
    lossBits[0] = Double.NaN;
    for (int t = 0; t < ids.length; t++) {
      if (t > 0) {
        // loss_t = −log₂ p_{t−1}[id_t], from the guess made after character t − 1
        lossBits[t] = -logSoftmax[ids[t]] / Math.log(2);
      }
      float[] logits = stepper.step(ids[t]);
      logSoftmax(logits, logSoftmax);
      topIds[t] = topIds(logits, top);
      topProbabilities[t] = new double[top];
      for (int k = 0; k < top; k++) {
        topProbabilities[t][k] = Math.exp(logSoftmax[topIds[t][k]]);
      }
      for (int layer = 0; layer < model.layers(); layer++) {
        for (int s = 0; s < signals.size(); s++) {
          Signal signal = signals.get(s);
          float[] v = switch (signal) {
            case H -> recurrent.hidden(layer);
            case C -> recurrent.cell(layer);
            default -> recurrent.gate(layer, signal.id());
          };
          System.arraycopy(v, 0, values[layer][s], t * hidden, hidden);
        }
      }
    }
  }

  /** log softmax(logits) in double: l_i − max − log Σ_j exp(l_j − max). */
  private static void logSoftmax(float[] logits, double[] out) {
    double max = Double.NEGATIVE_INFINITY;
    for (float l : logits) {
      max = Math.max(max, l);
    }
    double sum = 0;
    for (float l : logits) {
      sum += Math.exp(l - max);
    }
    double log = max + Math.log(sum);
    for (int i = 0; i < logits.length; i++) {
      out[i] = logits[i] - log;
    }
  }

  /**
   * Returns the ids of the {@code top} largest logits, largest first; of equal logits the lower id
   * comes first, as in sampling's top-p.
   */
  static int[] topIds(float[] logits, int top) {
    int[] best = new int[top];
    int count = 0;
    for (int id = 0; id < logits.length; id++) {
      // insertion into the sorted short list; a later id never passes an equal logit
      int at = count;
      while (at > 0 && logits[id] > logits[best[at - 1]]) {
        at--;
      }
      if (at < top) {
        System.arraycopy(best, at, best, at + 1, Math.min(count, top - 1) - at);
        best[at] = id;
        count = Math.min(count + 1, top);
      }
    }
    return best;
  }

  /** {@return the model traced} */
  public CharModel model() {
    return model;
  }

  /** {@return the model's vocabulary} */
  public CharVocabulary vocab() {
    return vocab;
  }

  /** {@return the number of characters, T} */
  public int length() {
    return ids.length;
  }

  /** {@return the text's ids, a copy} */
  public int[] ids() {
    return ids.clone();
  }

  /** {@return the text, as the model read it (lower-cased if its vocabulary lower-cases)} */
  public String text() {
    return vocab.decode(ids);
  }

  /** {@return the signals kept, in {@link Signal#of} order} */
  public List<Signal> signals() {
    return signals;
  }

  /**
   * Returns the model's loss on character t: −log₂ of the probability it gave that character after
   * reading characters 0 … t − 1.
   *
   * @param t the position, from 0
   * @return bits; NaN for t = 0, which has no context
   */
  public double lossBits(int t) {
    return lossBits[t];
  }

  /**
   * Returns the mean loss over characters 1 … T − 1.
   *
   * @return bits per character; NaN for a one-character text
   */
  public double meanLossBits() {
    double sum = 0;
    for (int t = 1; t < ids.length; t++) {
      sum += lossBits[t];
    }
    return ids.length > 1 ? sum / (ids.length - 1) : Double.NaN;
  }

  /**
   * Returns the ids of the most likely next characters after character t, most likely first.
   *
   * @param t the position, from 0
   * @return min({@value #TOP}, V) ids, a copy
   */
  public int[] topIds(int t) {
    return topIds[t].clone();
  }

  /**
   * Returns the probabilities, softmax(logits) at temperature 1, of {@link #topIds(int)}.
   *
   * @param t the position, from 0
   * @return the probabilities, a copy
   */
  public double[] topProbabilities(int t) {
    return topProbabilities[t].clone();
  }

  /**
   * Returns one value after character t.
   *
   * @param layer the layer, from 0
   * @param signal one of {@link #signals()}
   * @param t the position, from 0
   * @param unit the unit, from 0
   * @return the value
   * @throws IllegalArgumentException if the cell has no such signal
   */
  public float value(int layer, Signal signal, int t, int unit) {
    Objects.checkIndex(unit, model.hidden());
    return values[layer][index(signal)][t * model.hidden() + unit];
  }

  /**
   * Returns every value of one signal of one layer, time-major: character t's unit j at t·H + j.
   *
   * @param layer the layer, from 0
   * @param signal one of {@link #signals()}
   * @return T·H floats, the trace's own array (do not change it)
   */
  float[] values(int layer, Signal signal) {
    return values[layer][index(signal)];
  }

  /**
   * Returns, per unit, how often a gate was saturated over the text: the fraction of characters
   * after which it was below {@value #LEFT_SATURATED} (left) and above {@value #RIGHT_SATURATED}
   * (right), the saturation plot of Karpathy, Johnson and Fei-Fei (2015, figure 4). A unit near
   * (0, 1) is a gate that is almost always open; near (1, 0), almost always shut.
   *
   * @param layer the layer, from 0
   * @param gate a gate among {@link #signals()}
   * @return {left, right}, each H fractions
   * @throws IllegalArgumentException if {@code gate} is a state or not a gate of this cell
   */
  public double[][] saturation(int layer, Signal gate) {
    if (!gate.gate()) {
      throw new IllegalArgumentException(gate.id() + " is a state, not a gate");
    }
    float[] v = values(layer, gate);
    int hidden = model.hidden();
    double[][] out = new double[2][hidden];
    for (int t = 0; t < ids.length; t++) {
      for (int j = 0; j < hidden; j++) {
        float g = v[t * hidden + j];
        if (g < LEFT_SATURATED) {
          out[0][j]++;
        } else if (g > RIGHT_SATURATED) {
          out[1][j]++;
        }
      }
    }
    for (double[] side : out) {
      for (int j = 0; j < hidden; j++) {
        side[j] /= ids.length;
      }
    }
    return out;
  }

  private int index(Signal signal) {
    int s = signals.indexOf(signal);
    if (s < 0) {
      throw new IllegalArgumentException("a " + model.cell().id().toUpperCase(Locale.ROOT) + " has no signal "
          + signal.id() + "; it has " + signals.stream().map(Signal::id).toList());
    }
    return s;
  }
}
