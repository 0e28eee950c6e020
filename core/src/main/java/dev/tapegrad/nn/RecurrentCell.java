package dev.tapegrad.nn;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.ops.Add;
import dev.tapegrad.ops.CellKind;
import dev.tapegrad.ops.Linear;
import dev.tapegrad.ops.Mul;
import dev.tapegrad.ops.Sigmoid;
import dev.tapegrad.ops.SliceColumns;
import dev.tapegrad.ops.Sub;
import dev.tapegrad.ops.Tanh;
import dev.tapegrad.tensor.Shape;
import dev.tapegrad.tensor.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * One recurrent layer's parameters and its single time step, composed from primitive ops: the
 * readable reference for the three cells PyTorch calls {@code nn.RNNCell}, {@code nn.GRUCell} and
 * {@code nn.LSTMCell}, which {@link dev.tapegrad.ops.FusedRecurrent} is tested against.
 *
 * <p>Every cell first makes the same two projections of its input x and its previous hidden state
 * h, each G gate blocks of H rows stacked in PyTorch's order, and then differs only in what it does
 * with them. Side by side ({@link #step} spells each line with ops):
 * <pre>
 *   gi = W_ih x + b_ih        gh = W_hh h + b_hh
 *
 *   RNN (G = 1)         GRU (G = 3: r, z, n)            LSTM (G = 4: i, f, g, o)
 *   h' = tanh(gi + gh)  r  = σ(gi_r + gh_r)             i  = σ(gi_i + gh_i)     f = σ(gi_f + gh_f)
 *                       z  = σ(gi_z + gh_z)             g  = tanh(gi_g + gh_g)  o = σ(gi_o + gh_o)
 *                       n  = tanh(gi_n + r ⊙ gh_n)      c' = f ⊙ c + i ⊙ g
 *                       h' = (1 − z) ⊙ n + z ⊙ h        h' = o ⊙ tanh(c')
 * </pre>
 * The plain RNN pushes its state through tanh and W_hh at every step, so over many steps its
 * gradient fades (or explodes). The gates are the cure: where the GRU's update gate z is near 1,
 * h (and its gradient) passes through unchanged; the LSTM keeps a separate cell state c, a running
 * sum that its forget gate f carries from step to step without squashing it. The GRU's reset gate
 * r decides how much of the past enters its candidate n; the LSTM's input gate i decides how much
 * of its candidate g is written, and its output gate o how much of the cell is shown as h'.
 *
 * <p>Shapes: x (N, In); h and c (N, H); weightIh (G·H, In); weightHh (G·H, H); biasIh and biasHh
 * (G·H). Parameters start uniform(−1/√H, 1/√H), as in PyTorch. There is no backward code here:
 * every line is an op whose own backward is checked by finite differences, and the tape chains
 * them. A step records 3 (RNN), about 14 (GRU) or 15 (LSTM) tape entries.
 *
 * <pre>{@code
 * RecurrentCell cell = RecurrentCell.create(CellKind.GRU, inputSize, hidden, new SplittableRandom(3), 0);
 * State state = State.zeros(tape, CellKind.GRU, batch, hidden);
 * for (Variable xt : steps) {
 *   state = cell.step(tape, xt, state);
 * }
 * }</pre>
 *
 * @param kind the cell
 * @param weightIh W_ih, G·H×In, gate blocks stacked in PyTorch's order; registered as
 *     {@code weight_ih} (and in a {@link Recurrent} as {@code weight_ih_lK})
 * @param weightHh W_hh, G·H×H
 * @param biasIh b_ih, G·H
 * @param biasHh b_hh, G·H
 */
public record RecurrentCell(CellKind kind, Variable weightIh, Variable weightHh, Variable biasIh, Variable biasHh)
    implements Module {

  /**
   * Checks that the four parameters fit one another and the kind.
   *
   * @param kind the cell
   * @param weightIh W_ih, G·H×In, gate blocks stacked in PyTorch's order
   * @param weightHh W_hh, G·H×H
   * @param biasIh b_ih, G·H
   * @param biasHh b_hh, G·H
   * @throws IllegalArgumentException naming the shapes if they do not fit
   */
  public RecurrentCell {
    int rows = kind.gates() * weightHh.shape().dim(-1);
    if (weightIh.shape().rank() != 2 || !weightHh.shape().equals(Shape.of(rows, rows / kind.gates()))
        || weightIh.shape().dim(0) != rows || !biasIh.shape().equals(Shape.of(rows))
        || !biasHh.shape().equals(Shape.of(rows))) {
      throw new IllegalArgumentException(kind + " cell: shapes do not fit: weights " + weightIh.shape() + " and "
          + weightHh.shape() + ", biases " + biasIh.shape() + " and " + biasHh.shape());
    }
  }

  /**
   * Returns a cell with PyTorch's initialisation.
   *
   * @param kind the cell
   * @param in input width
   * @param hidden hidden width H
   * @param random the only source of randomness
   * @param layer the layer index, used in the variables' names for messages ({@code weight_ih_l0}, …)
   * @return the cell
   */
  public static RecurrentCell create(CellKind kind, int in, int hidden, RandomGenerator random, int layer) {
    float bound = (float) (1.0 / Math.sqrt(hidden));
    int rows = kind.gates() * hidden;
    // PyTorch initialises in this order: weight_ih, weight_hh, bias_ih, bias_hh.
    Variable wIh = Variable.parameter("weight_ih_l" + layer, Tensor.uniform(random, -bound, bound, rows, in));
    Variable wHh = Variable.parameter("weight_hh_l" + layer, Tensor.uniform(random, -bound, bound, rows, hidden));
    Variable bIh = Variable.parameter("bias_ih_l" + layer, Tensor.uniform(random, -bound, bound, rows));
    Variable bHh = Variable.parameter("bias_hh_l" + layer, Tensor.uniform(random, -bound, bound, rows));
    return new RecurrentCell(kind, wIh, wHh, bIh, bHh);
  }

  /**
   * One time step, composed from primitive ops.
   *
   * @param tape the tape to record on
   * @param x this step's input, N×In
   * @param state the previous state: h, N×H, and for the LSTM c, N×H
   * @return the new state
   */
  public State step(Tape tape, Variable x, State state) {
    // The two stacked projections, G·H wide: gate blocks side by side.
    Variable gi = Linear.apply(tape, x, weightIh, biasIh);           // W_ih x + b_ih
    Variable gh = Linear.apply(tape, state.h(), weightHh, biasHh);   // W_hh h + b_hh
    switch (kind) {
      case RNN -> {
        // h' = tanh(W_ih x + b_ih + W_hh h + b_hh)
        return new State(Tanh.apply(tape, Add.apply(tape, gi, gh)), null);
      }
      case GRU -> {
        // r = σ(W_ir x + b_ir + W_hr h + b_hr)
        Variable r = Sigmoid.apply(tape, Add.apply(tape, block(tape, gi, 0), block(tape, gh, 0)));
        // z = σ(W_iz x + b_iz + W_hz h + b_hz)
        Variable z = Sigmoid.apply(tape, Add.apply(tape, block(tape, gi, 1), block(tape, gh, 1)));
        // n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))
        Variable n = Tanh.apply(tape, Add.apply(tape, block(tape, gi, 2), Mul.apply(tape, r, block(tape, gh, 2))));
        // h' = (1 − z) ⊙ n + z ⊙ h, written as n + z ⊙ (h − n)
        return new State(Add.apply(tape, n, Mul.apply(tape, z, Sub.apply(tape, state.h(), n))), null);
      }
      case LSTM -> {
        Variable a = Add.apply(tape, gi, gh);
        // i = σ(W_ii x + b_ii + W_hi h + b_hi)
        Variable i = Sigmoid.apply(tape, block(tape, a, 0));
        // f = σ(W_if x + b_if + W_hf h + b_hf)
        Variable f = Sigmoid.apply(tape, block(tape, a, 1));
        // g = tanh(W_ig x + b_ig + W_hg h + b_hg)
        Variable g = Tanh.apply(tape, block(tape, a, 2));
        // o = σ(W_io x + b_io + W_ho h + b_ho)
        Variable o = Sigmoid.apply(tape, block(tape, a, 3));
        // c' = f ⊙ c + i ⊙ g
        Variable c = Add.apply(tape, Mul.apply(tape, f, state.c()), Mul.apply(tape, i, g));
        // h' = o ⊙ tanh(c')
        return new State(Mul.apply(tape, o, Tanh.apply(tape, c)), c);
      }
      default -> throw new AssertionError(kind);
    }
  }

  /** Gate block k of a stacked G·H-wide pre-activation: columns [kH, (k+1)H). */
  private Variable block(Tape tape, Variable stacked, int k) {
    return SliceColumns.apply(tape, stacked, k * hidden(), (k + 1) * hidden());
  }

  /** {@return the hidden width H} */
  public int hidden() {
    return weightHh.shape().dim(1);
  }

  /** {@return the input width} */
  public int inputSize() {
    return weightIh.shape().dim(1);
  }

  /**
   * {@return the four parameters by the names PyTorch's {@code nn.GRUCell} gives them:
   * {@code weight_ih}, {@code weight_hh}, {@code bias_ih}, {@code bias_hh}} A {@link Recurrent}
   * lists them with the layer's index, {@code weight_ih_l0} …
   */
  @Override
  public Map<String, Variable> localParameters() {
    Map<String, Variable> m = new LinkedHashMap<>();
    m.put("weight_ih", weightIh);
    m.put("weight_hh", weightHh);
    m.put("bias_ih", biasIh);
    m.put("bias_hh", biasHh);
    return Collections.unmodifiableMap(m);
  }
}
