package dev.tapegrad.rnn;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.nn.Embedding;
import dev.tapegrad.nn.Gru;
import dev.tapegrad.nn.GruStepper;
import dev.tapegrad.nn.Linear;
import dev.tapegrad.nn.Lstm;
import dev.tapegrad.nn.LstmStepper;
import dev.tapegrad.nn.Module;
import dev.tapegrad.nn.Rnn;
import dev.tapegrad.nn.RnnStepper;
import dev.tapegrad.ops.Reshape;
import dev.tapegrad.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The notebook's character model, layer for layer:
 * {@code encoder} Embedding(V, V) → {@code rnn} GRU(V, H, layers) → {@code decoder} Linear(H, V),
 * with an LSTM or a plain tanh RNN as alternatives to the GRU ({@link Cell}).
 *
 * <p>Each character id is looked up as a V-wide vector, the recurrent layers carry a state from
 * character to character (their memory of what came before), and the decoder turns each hidden
 * state into V logits: unnormalised scores for the next character. Parameter names are PyTorch's
 * {@code state_dict} names for {@code nn.Embedding}, {@code nn.GRU}/{@code nn.LSTM}/{@code nn.RNN}
 * and {@code nn.Linear} modules called {@code encoder}, {@code rnn} and {@code decoder}, so weights
 * move between the two unchanged.
 *
 * <p>Training may pass a dropout share p: with several layers, p of each layer's outputs (except
 * the last layer's) are zeroed, as {@code nn.GRU(..., dropout=p)} does in training mode. Dropout is
 * an argument of the training forward pass, not part of the model: evaluation, sampling and the
 * {@link Stepper} never drop anything.
 *
 * <pre>{@code
 * CharModel model = CharModel.create(CharModel.Cell.GRU, vocab.size(), 512, 1, new SplittableRandom(42));
 * CharModel.Forward f = model.forward(tape, ids, batch, steps, null, Gru.Implementation.FUSED);
 * Variable loss = SoftmaxCrossEntropy.apply(tape, f.logits(), targets);
 * }</pre>
 */
public final class CharModel implements Module {

  /** The recurrent cell type, written in checkpoint metadata as {@link #id()}. */
  public enum Cell {
    /** {@code torch.nn.GRU}: reset and update gates, 3H gate rows. */
    GRU(3),
    /** {@code torch.nn.LSTM}: input, forget, cell and output gates (in that order), 4H gate rows. */
    LSTM(4),
    /** {@code torch.nn.RNN} with tanh: {@code h' = tanh(W_ih x + b_ih + W_hh h + b_hh)}, H rows. */
    RNN(1);

    private final int gates;

    Cell(int gates) {
      this.gates = gates;
    }

    /** {@return the name used on the command line and in checkpoints: gru, lstm or rnn} */
    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** {@return how many H-row blocks {@code weight_ih} and {@code weight_hh} have} */
    public int gates() {
      return gates;
    }

    /**
     * Returns the cell called {@code id}.
     *
     * @param id gru, lstm or rnn (any case)
     * @return the cell
     * @throws IllegalArgumentException naming the choices if {@code id} is none of them
     */
    public static Cell parse(String id) {
      for (Cell c : values()) {
        if (c.id().equalsIgnoreCase(id)) {
          return c;
        }
      }
      throw new IllegalArgumentException("unknown cell '" + id + "': choose gru, lstm or rnn");
    }
  }

  /**
   * The recurrent state between chunks: each layer's hidden state and, for an LSTM, each layer's
   * cell state.
   *
   * @param h each layer's hidden state, N×H, layer 0 first
   * @param c each layer's LSTM cell state, N×H (empty for GRU and RNN)
   */
  public record State(List<Variable> h, List<Variable> c) {
    /** Copies the lists. */
    public State {
      h = List.copyOf(h);
      c = List.copyOf(c);
    }

    /**
     * Returns a copy of the values as constants: the state carried into the next chunk without a
     * path back into this chunk's graph, which is how truncated back-propagation through time cuts
     * the tape.
     *
     * @return the detached state
     */
    public State detach() {
      return new State(constants(h), constants(c));
    }

    /**
     * Returns the first {@code n} batch rows of this state: the rows that continue into a step with
     * fewer rows. When {@code n} is every row, this state itself; otherwise copies, as constants.
     *
     * @param n how many rows, at most the batch size
     * @return the rows
     */
    public State firstRows(int n) {
      if (h.get(0).shape().dim(0) == n) {
        return this;
      }
      return new State(firstRows(h, n), firstRows(c, n));
    }

    private static List<Variable> firstRows(List<Variable> vs, int n) {
      List<Variable> out = new ArrayList<>(vs.size());
      for (Variable v : vs) {
        int width = v.shape().dim(1);
        out.add(Variable.constant(Tensor.of(Arrays.copyOf(v.value().data(), n * width), n, width)));
      }
      return out;
    }

    private static List<Variable> constants(List<Variable> vs) {
      List<Variable> out = new ArrayList<>(vs.size());
      for (Variable v : vs) {
        out.add(Variable.constant(v.value().copy()));
      }
      return out;
    }
  }

  /**
   * A forward pass's result.
   *
   * @param logits next-character scores, (N·L)×V, row b·L + t for sequence b at step t
   * @param state the recurrent state after the last step
   */
  public record Forward(Variable logits, State state) {}

  private final Embedding encoder;
  private final Cell cell;
  private final Module rnn;
  private final Linear decoder;
  private final int vocab;
  private final int hidden;
  private final int layers;

  private CharModel(Cell cell, Embedding encoder, Module rnn, Linear decoder, int vocab, int hidden, int layers) {
    this.cell = cell;
    this.encoder = encoder;
    this.rnn = rnn;
    this.decoder = decoder;
    this.vocab = vocab;
    this.hidden = hidden;
    this.layers = layers;
  }

  /**
   * Returns a freshly initialised GRU model (PyTorch's initialisation for each layer).
   *
   * @param vocab the vocabulary size V
   * @param hidden the GRU width H
   * @param layers the number of GRU layers
   * @param random the only source of randomness
   * @return the model
   */
  public static CharModel create(int vocab, int hidden, int layers, RandomGenerator random) {
    return create(Cell.GRU, vocab, hidden, layers, random);
  }

  /**
   * Returns a freshly initialised model (PyTorch's initialisation for each layer).
   *
   * @param cell the recurrent cell
   * @param vocab the vocabulary size V
   * @param hidden the recurrent width H
   * @param layers the number of recurrent layers
   * @param random the only source of randomness
   * @return the model
   */
  public static CharModel create(Cell cell, int vocab, int hidden, int layers, RandomGenerator random) {
    Objects.requireNonNull(cell, "cell");
    if (vocab < 1 || hidden < 1 || layers < 1) {
      throw new IllegalArgumentException(
          "model sizes must be at least 1: vocab " + vocab + ", hidden " + hidden + ", layers " + layers);
    }
    Embedding encoder = Embedding.create(vocab, vocab, random);
    Module rnn = switch (cell) {
      case GRU -> Gru.create(vocab, hidden, layers, random);
      case LSTM -> Lstm.create(vocab, hidden, layers, random);
      case RNN -> Rnn.create(vocab, hidden, layers, random);
    };
    Linear decoder = Linear.create(hidden, vocab, random);
    return new CharModel(cell, encoder, rnn, decoder, vocab, hidden, layers);
  }

  /**
   * Runs the model over N sequences of L character ids, without dropout (evaluation).
   *
   * @param tape the tape to record on
   * @param ids the ids, N·L, sequence b's step t at b·L + t
   * @param batch N
   * @param steps L
   * @param state the initial state, or {@code null} for zeros
   * @param implementation which recurrent implementation to run
   * @return the logits and final state
   */
  public Forward forward(Tape tape, int[] ids, int batch, int steps, State state,
      Gru.Implementation implementation) {
    return forward(tape, ids, batch, steps, state, implementation, 0f, null);
  }

  /**
   * Runs the model over N sequences of L character ids, with dropout between layers (training).
   *
   * @param tape the tape to record on
   * @param ids the ids, N·L, sequence b's step t at b·L + t
   * @param batch N
   * @param steps L
   * @param state the initial state, or {@code null} for zeros
   * @param implementation which recurrent implementation to run
   * @param dropout the share of each non-final layer's outputs to drop, in [0, 1); 0 for none
   * @param random draws the dropout masks (may be {@code null} when {@code dropout} is 0)
   * @return the logits and final state
   */
  public Forward forward(Tape tape, int[] ids, int batch, int steps, State state,
      Gru.Implementation implementation, float dropout, RandomGenerator random) {
    if (ids.length != batch * steps) {
      throw new IllegalArgumentException(ids.length + " ids do not make " + batch + " sequences of " + steps);
    }
    Variable embedded = Reshape.apply(tape, encoder.forward(tape, ids), batch, steps, vocab);
    List<Variable> h0 = state == null ? null : state.h();
    Variable output;
    State next;
    switch (cell) {
      case GRU -> {
        Gru.Output out = ((Gru) rnn).forward(tape, embedded, h0, implementation, dropout, random);
        output = out.output();
        next = new State(out.hidden(), List.of());
      }
      case RNN -> {
        Rnn.Output out = ((Rnn) rnn).forward(tape, embedded, h0, implementation, dropout, random);
        output = out.output();
        next = new State(out.hidden(), List.of());
      }
      case LSTM -> {
        List<Variable> c0 = state == null ? null : state.c();
        Lstm.Output out = ((Lstm) rnn).forward(tape, embedded, h0, c0, implementation, dropout, random);
        output = out.output();
        next = new State(out.hidden(), out.cell());
      }
      default -> throw new AssertionError(cell);
    }
    Variable flat = Reshape.apply(tape, output, batch * steps, hidden);
    return new Forward(decoder.forward(tape, flat), next);
  }

  /**
   * Feeds one character at a time and returns the next-character logits, with no tape and no
   * allocation per step: the loop of sampling. It reads the model's parameters live.
   */
  public final class Stepper {
    private final GruStepper gru = cell == Cell.GRU ? GruStepper.of((Gru) rnn) : null;
    private final LstmStepper lstm = cell == Cell.LSTM ? LstmStepper.of((Lstm) rnn) : null;
    private final RnnStepper plain = cell == Cell.RNN ? RnnStepper.of((Rnn) rnn) : null;
    private final float[] logits = new float[vocab];

    private Stepper() {}

    /**
     * Advances the recurrent state by one character.
     *
     * @param id the character's id, in [0, V)
     * @return the V logits for the next character (a live buffer, overwritten by the next step)
     */
    public float[] step(int id) {
      if (id < 0 || id >= vocab) {
        throw new IllegalArgumentException("id " + id + " is out of range for a vocabulary of " + vocab);
      }
      // The embedding of id is row id of encoder.weight, V floats wide.
      float[] table = encoder.weight().value().data();
      int offset = id * vocab;
      float[] h = gru != null ? gru.step(table, offset) : lstm != null ? lstm.step(table, offset)
          : plain.step(table, offset);
      decoder.infer(h, 0, logits);
      return logits;
    }
  }

  /** Returns a new {@link Stepper} starting from a zero state. */
  public Stepper stepper() {
    return new Stepper();
  }

  /**
   * Returns a zero state, N×H per layer (and per LSTM cell state), needing no gradient.
   *
   * @param batch N
   * @return the state
   */
  public State zeroState(int batch) {
    return new State(zeros(batch), cell == Cell.LSTM ? zeros(batch) : List.of());
  }

  private List<Variable> zeros(int batch) {
    Variable[] states = new Variable[layers];
    for (int k = 0; k < layers; k++) {
      states[k] = Variable.constant(Tensor.zeros(batch, hidden));
    }
    return List.of(states);
  }

  /** Returns the recurrent cell type. */
  public Cell cell() {
    return cell;
  }

  /** Returns V. */
  public int vocab() {
    return vocab;
  }

  /** Returns H. */
  public int hidden() {
    return hidden;
  }

  /** Returns the number of recurrent layers. */
  public int layers() {
    return layers;
  }

  /** Returns the total number of trainable values. */
  public long parameterCount() {
    long count = 0;
    for (Variable v : parameters()) {
      count += v.value().size();
    }
    return count;
  }

  /**
   * Returns every parameter by its PyTorch {@code state_dict} name: {@code encoder.weight},
   * {@code rnn.weight_ih_l0}, {@code rnn.weight_hh_l0}, {@code rnn.bias_ih_l0}, {@code rnn.bias_hh_l0}
   * (then {@code _l1} …), {@code decoder.weight}, {@code decoder.bias}.
   */
  @Override
  public Map<String, Variable> namedParameters() {
    Map<String, Variable> m = new LinkedHashMap<>();
    encoder.namedParameters().forEach((k, v) -> m.put("encoder." + k, v));
    rnn.namedParameters().forEach((k, v) -> m.put("rnn." + k, v));
    decoder.namedParameters().forEach((k, v) -> m.put("decoder." + k, v));
    return Collections.unmodifiableMap(m);
  }
}
