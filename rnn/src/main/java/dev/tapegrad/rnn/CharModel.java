package dev.tapegrad.rnn;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.nn.Embedding;
import dev.tapegrad.nn.Implementation;
import dev.tapegrad.nn.Linear;
import dev.tapegrad.nn.Module;
import dev.tapegrad.nn.Recurrent;
import dev.tapegrad.nn.RecurrentStepper;
import dev.tapegrad.nn.State;
import dev.tapegrad.ops.CellKind;
import dev.tapegrad.ops.Reshape;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The notebook's character model, layer for layer:
 * {@code encoder} Embedding(V, V) → {@code rnn} GRU(V, H, layers) → {@code decoder} Linear(H, V),
 * with an LSTM or a plain tanh RNN as alternatives to the GRU ({@link CellKind}).
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
 * CharModel model = CharModel.create(CellKind.GRU, vocab.size(), 512, 1, new SplittableRandom(42));
 * CharModel.Forward f = model.forward(tape, ids, batch, steps, null, Implementation.FUSED);
 * Variable loss = SoftmaxCrossEntropy.apply(tape, f.logits(), targets);
 * }</pre>
 */
public final class CharModel implements Module {

  /**
   * A forward pass's result.
   *
   * @param logits next-character scores, (N·L)×V, row b·L + t for sequence b at step t
   * @param state each layer's recurrent state after the last step, layer 0 first
   */
  public record Forward(Variable logits, List<State> state) {
    /**
     * Copies the list.
     *
     * @param logits next-character scores, (N·L)×V
     * @param state each layer's state after the last step
     */
    public Forward {
      state = List.copyOf(state);
    }
  }

  /** The tensors besides the recurrent layers': {@code encoder.weight}, {@code decoder.weight}, {@code decoder.bias}. */
  public static final int OUTER_TENSORS = 3;
  /** The tensors of each recurrent layer: {@code weight_ih}, {@code weight_hh}, {@code bias_ih}, {@code bias_hh}. */
  public static final int TENSORS_PER_LAYER = 4;

  private final Embedding encoder;
  private final Recurrent rnn;
  private final Linear decoder;
  private final int vocab;

  private CharModel(Embedding encoder, Recurrent rnn, Linear decoder, int vocab) {
    this.encoder = encoder;
    this.rnn = rnn;
    this.decoder = decoder;
    this.vocab = vocab;
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
    return create(CellKind.GRU, vocab, hidden, layers, random);
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
  public static CharModel create(CellKind cell, int vocab, int hidden, int layers, RandomGenerator random) {
    Objects.requireNonNull(cell, "cell");
    if (vocab < 1 || hidden < 1 || layers < 1) {
      throw new IllegalArgumentException(
          "model sizes must be at least 1: vocab " + vocab + ", hidden " + hidden + ", layers " + layers);
    }
    Embedding encoder = Embedding.create(vocab, vocab, random);
    Recurrent rnn = Recurrent.create(cell, vocab, hidden, layers, random);
    Linear decoder = Linear.create(hidden, vocab, random);
    return new CharModel(encoder, rnn, decoder, vocab);
  }

  /**
   * The model's parameter layout, the one place it is written down: every parameter's PyTorch
   * {@code state_dict} name, in {@link #namedParameters()} order, with its shape, for a cell with
   * G gate blocks ({@link CellKind#gates()}: 3 for a GRU, r|z|n; 4 for an LSTM, i|f|g|o; 1 for an
   * RNN). The shapes are longs, so that sizes too large for a Java array can be checked before
   * anything is made; {@code CharModelTest} checks that {@link #create} makes exactly these.
   *
   * <pre>
   * encoder.weight      V × V
   * rnn.weight_ih_lK    G·H × V for layer 0, G·H × H after
   * rnn.weight_hh_lK    G·H × H
   * rnn.bias_ih_lK      G·H
   * rnn.bias_hh_lK      G·H
   * decoder.weight      V × H
   * decoder.bias        V
   * </pre>
   *
   * @param cell the recurrent cell
   * @param vocab V
   * @param hidden H
   * @param layers the number of recurrent layers
   * @return the dimensions of each parameter by name, in order
   */
  public static Map<String, long[]> parameterShapes(CellKind cell, long vocab, long hidden, int layers) {
    long gates = (long) cell.gates() * hidden;
    Map<String, long[]> shapes = new LinkedHashMap<>();
    shapes.put("encoder.weight", new long[] {vocab, vocab});
    for (int k = 0; k < layers; k++) {
      shapes.put("rnn.weight_ih_l" + k, new long[] {gates, k == 0 ? vocab : hidden});
      shapes.put("rnn.weight_hh_l" + k, new long[] {gates, hidden});
      shapes.put("rnn.bias_ih_l" + k, new long[] {gates});
      shapes.put("rnn.bias_hh_l" + k, new long[] {gates});
    }
    shapes.put("decoder.weight", new long[] {vocab, hidden});
    shapes.put("decoder.bias", new long[] {vocab});
    return shapes;
  }

  /**
   * Runs the model over N sequences of L character ids, without dropout (evaluation).
   *
   * @param tape the tape to record on
   * @param ids the ids, N·L, sequence b's step t at b·L + t
   * @param batch N
   * @param steps L
   * @param state each layer's initial state, or {@code null} for zeros
   * @param implementation which recurrent implementation to run
   * @return the logits and final state
   */
  public Forward forward(Tape tape, int[] ids, int batch, int steps, List<State> state,
      Implementation implementation) {
    return forward(tape, ids, batch, steps, state, implementation, 0f, null);
  }

  /**
   * Runs the model over N sequences of L character ids, with dropout between layers (training).
   *
   * @param tape the tape to record on
   * @param ids the ids, N·L, sequence b's step t at b·L + t
   * @param batch N
   * @param steps L
   * @param state each layer's initial state, or {@code null} for zeros
   * @param implementation which recurrent implementation to run
   * @param dropout the share of each non-final layer's outputs to drop, in [0, 1); 0 for none
   * @param random draws the dropout masks (may be {@code null} when {@code dropout} is 0)
   * @return the logits and final state
   */
  public Forward forward(Tape tape, int[] ids, int batch, int steps, List<State> state,
      Implementation implementation, float dropout, RandomGenerator random) {
    if (ids.length != batch * steps) {
      throw new IllegalArgumentException(ids.length + " ids do not make " + batch + " sequences of " + steps);
    }
    Variable embedded = Reshape.apply(tape, encoder.forward(tape, ids), batch, steps, vocab);
    Recurrent.Output out = rnn.forward(tape, embedded, state, implementation, dropout, random);
    Variable flat = Reshape.apply(tape, out.output(), batch * steps, rnn.hidden());
    return new Forward(decoder.forward(tape, flat), out.states());
  }

  /**
   * Feeds one character at a time and returns the next-character logits, with no tape and no
   * allocation per step: the loop of sampling. It reads the model's parameters live.
   */
  public final class Stepper {
    private final RecurrentStepper recurrent = RecurrentStepper.of(rnn);
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
      float[] table = encoder.weight().value().storage();
      decoder.infer(recurrent.step(table, id * vocab), 0, logits);
      return logits;
    }

    /**
     * Returns the recurrent layers' stepper, to read what the last {@link #step} left in them:
     * each layer's hidden state (and LSTM cell state) and its gates.
     *
     * @return the stepper this one advances
     */
    public RecurrentStepper recurrent() {
      return recurrent;
    }
  }

  /** Returns a new {@link Stepper} starting from a zero state. */
  public Stepper stepper() {
    return new Stepper();
  }

  /** Returns the recurrent cell type. */
  public CellKind cell() {
    return rnn.kind();
  }

  /** Returns V. */
  public int vocab() {
    return vocab;
  }

  /** Returns H. */
  public int hidden() {
    return rnn.hidden();
  }

  /** Returns the number of recurrent layers. */
  public int layers() {
    return rnn.layers();
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
   * Returns the three layers, so that every parameter goes by its PyTorch {@code state_dict} name
   * ({@link #namedParameters()}), as {@link #parameterShapes} lists them.
   */
  @Override
  public List<Child> children() {
    return List.of(new Child("encoder", encoder), new Child("rnn", rnn), new Child("decoder", decoder));
  }
}
