package dev.tapegrad.rnn;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.nn.Embedding;
import dev.tapegrad.nn.Gru;
import dev.tapegrad.nn.GruStepper;
import dev.tapegrad.nn.Linear;
import dev.tapegrad.nn.Module;
import dev.tapegrad.ops.Reshape;
import dev.tapegrad.tensor.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The notebook's character model, layer for layer:
 * {@code encoder} Embedding(V, V) → {@code rnn} GRU(V, H, layers) → {@code decoder} Linear(H, V).
 *
 * <p>Each character id is looked up as a V-wide vector, the GRU carries a hidden state from
 * character to character (its memory of what came before), and the decoder turns each hidden
 * state into V logits: unnormalised scores for the next character. Parameter names are the
 * PyTorch {@code state_dict} names of {@code ../shared/anchors/torch_charrnn.py}, so weights move
 * between the two unchanged.
 *
 * <pre>{@code
 * CharModel model = CharModel.create(vocab.size(), 512, 1, new SplittableRandom(42));
 * CharModel.Forward f = model.forward(tape, ids, batch, steps, null, Gru.Implementation.FUSED);
 * Variable loss = SoftmaxCrossEntropy.apply(tape, f.logits(), targets);
 * }</pre>
 */
public final class CharModel implements Module {

  /** The cell type written in checkpoint metadata. */
  public static final String CELL = "gru";

  /**
   * A forward pass's result.
   *
   * @param logits next-character scores, (N·L)×V, row b·L + t for sequence b at step t
   * @param hidden each layer's hidden state after the last step, N×H
   */
  public record Forward(Variable logits, List<Variable> hidden) {
    /** Copies the list. */
    public Forward {
      hidden = List.copyOf(hidden);
    }
  }

  private final Embedding encoder;
  private final Gru rnn;
  private final Linear decoder;
  private final int vocab;

  private CharModel(Embedding encoder, Gru rnn, Linear decoder, int vocab) {
    this.encoder = encoder;
    this.rnn = rnn;
    this.decoder = decoder;
    this.vocab = vocab;
  }

  /**
   * Returns a freshly initialised model (PyTorch's initialisation for each layer).
   *
   * @param vocab the vocabulary size V
   * @param hidden the GRU width H
   * @param layers the number of GRU layers
   * @param random the only source of randomness
   * @return the model
   */
  public static CharModel create(int vocab, int hidden, int layers, RandomGenerator random) {
    if (vocab < 1 || hidden < 1 || layers < 1) {
      throw new IllegalArgumentException(
          "model sizes must be at least 1: vocab " + vocab + ", hidden " + hidden + ", layers " + layers);
    }
    Embedding encoder = Embedding.create(vocab, vocab, random);
    Gru rnn = Gru.create(vocab, hidden, layers, random);
    Linear decoder = Linear.create(hidden, vocab, random);
    return new CharModel(encoder, rnn, decoder, vocab);
  }

  /**
   * Runs the model over N sequences of L character ids.
   *
   * @param tape the tape to record on
   * @param ids the ids, N·L, sequence b's step t at b·L + t
   * @param batch N
   * @param steps L
   * @param h0 each layer's initial state (N×H), or {@code null} for zeros
   * @param implementation which GRU implementation to run
   * @return the logits and final states
   */
  public Forward forward(Tape tape, int[] ids, int batch, int steps, List<Variable> h0,
      Gru.Implementation implementation) {
    if (ids.length != batch * steps) {
      throw new IllegalArgumentException(ids.length + " ids do not make " + batch + " sequences of " + steps);
    }
    Variable embedded = Reshape.apply(tape, encoder.forward(tape, ids), batch, steps, vocab);
    Gru.Output out = rnn.forward(tape, embedded, h0, implementation);
    Variable flat = Reshape.apply(tape, out.output(), batch * steps, rnn.hidden());
    return new Forward(decoder.forward(tape, flat), out.hidden());
  }

  /**
   * Feeds one character at a time and returns the next-character logits, with no tape and no
   * allocation per step: the loop of sampling. It reads the model's parameters live.
   */
  public final class Stepper {
    private final GruStepper gru = GruStepper.of(rnn);
    private final float[] logits = new float[vocab];

    private Stepper() {}

    /**
     * Advances the hidden state by one character.
     *
     * @param id the character's id, in [0, V)
     * @return the V logits for the next character (a live buffer, overwritten by the next step)
     */
    public float[] step(int id) {
      if (id < 0 || id >= vocab) {
        throw new IllegalArgumentException("id " + id + " is out of range for a vocabulary of " + vocab);
      }
      // The embedding of id is row id of encoder.weight, V floats wide.
      float[] h = gru.step(encoder.weight().value().data(), id * vocab);
      decoder.infer(h, 0, logits);
      return logits;
    }
  }

  /** Returns a new {@link Stepper} starting from a zero hidden state. */
  public Stepper stepper() {
    return new Stepper();
  }

  /** Returns a zero hidden state for each layer, N×H, needing no gradient. */
  public List<Variable> zeroState(int batch) {
    Variable[] states = new Variable[rnn.layers()];
    for (int k = 0; k < states.length; k++) {
      states[k] = Variable.constant(Tensor.zeros(batch, rnn.hidden()));
    }
    return List.of(states);
  }

  /** Returns V. */
  public int vocab() {
    return vocab;
  }

  /** Returns H. */
  public int hidden() {
    return rnn.hidden();
  }

  /** Returns the number of GRU layers. */
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
