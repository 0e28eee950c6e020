package dev.tapegrad.nn;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.ops.Add;
import dev.tapegrad.ops.Linear;
import dev.tapegrad.ops.Mul;
import dev.tapegrad.ops.Sigmoid;
import dev.tapegrad.ops.SliceColumns;
import dev.tapegrad.ops.Tanh;
import dev.tapegrad.tensor.Tensor;
import java.util.random.RandomGenerator;

/**
 * One LSTM layer's parameters and its single time step, composed from primitive ops: the readable
 * reference that {@link dev.tapegrad.ops.FusedLstm} is tested against ({@code torch.nn.LSTMCell}).
 *
 * <p>One step, PyTorch's equations and gate order (i input, f forget, g cell candidate, o output):
 * <pre>
 *   i  = σ(W_ii x + b_ii + W_hi h + b_hi)
 *   f  = σ(W_if x + b_if + W_hf h + b_hf)
 *   g  = tanh(W_ig x + b_ig + W_hg h + b_hg)
 *   o  = σ(W_io x + b_io + W_ho h + b_ho)
 *   c' = f ⊙ c + i ⊙ g
 *   h' = o ⊙ tanh(c')
 * </pre>
 * The cell state c is a running sum: where f is near 1 it (and its gradient, dc = dc' ⊙ f) passes
 * from step to step without being squashed, which is how an LSTM keeps gradients from vanishing
 * over long sequences; i decides how much of the candidate g is written, o how much of the cell
 * is shown as h'.
 *
 * <p>Shapes: x (N, In); h and c (N, H); weightIh (4H, In) and weightHh (4H, H) with rows stacked
 * i | f | g | o; biasIh and biasHh (4H). Parameters start uniform(−1/√H, 1/√H), as in PyTorch.
 *
 * <p>There is no backward code here: every line is an op whose own backward is checked by finite
 * differences, and the tape chains them. A step records about eighteen tape entries.
 *
 * <pre>{@code
 * LstmCell cell = LstmCell.create(inputSize, hidden, new SplittableRandom(3), 0);
 * LstmCell.State s = new LstmCell.State(Variable.constant(Tensor.zeros(batch, hidden)),
 *     Variable.constant(Tensor.zeros(batch, hidden)));
 * for (Variable xt : steps) {
 *   s = cell.step(tape, xt, s);
 * }
 * }</pre>
 */
public final class LstmCell {

  /**
   * An LSTM's recurrent state.
   *
   * @param h the hidden state, N×H
   * @param c the cell state, N×H
   */
  public record State(Variable h, Variable c) {}

  private final Variable weightIh;
  private final Variable weightHh;
  private final Variable biasIh;
  private final Variable biasHh;
  private final int hidden;

  private LstmCell(Variable weightIh, Variable weightHh, Variable biasIh, Variable biasHh) {
    this.weightIh = weightIh;
    this.weightHh = weightHh;
    this.biasIh = biasIh;
    this.biasHh = biasHh;
    this.hidden = weightHh.shape().dim(1);
  }

  /**
   * Returns a cell with PyTorch's initialisation.
   *
   * @param in input width
   * @param hidden hidden width H
   * @param random the only source of randomness
   * @param layer the layer index, used in the parameter names ({@code weight_ih_l0}, …)
   * @return the cell
   */
  public static LstmCell create(int in, int hidden, RandomGenerator random, int layer) {
    float bound = (float) (1.0 / Math.sqrt(hidden));
    // PyTorch initialises in this order: weight_ih, weight_hh, bias_ih, bias_hh.
    Variable wIh = Variable.parameter("weight_ih_l" + layer, Tensor.uniform(random, -bound, bound, 4 * hidden, in));
    Variable wHh = Variable.parameter("weight_hh_l" + layer,
        Tensor.uniform(random, -bound, bound, 4 * hidden, hidden));
    Variable bIh = Variable.parameter("bias_ih_l" + layer, Tensor.uniform(random, -bound, bound, 4 * hidden));
    Variable bHh = Variable.parameter("bias_hh_l" + layer, Tensor.uniform(random, -bound, bound, 4 * hidden));
    return new LstmCell(wIh, wHh, bIh, bHh);
  }

  /**
   * One time step, composed from primitive ops.
   *
   * @param tape the tape to record on
   * @param x this step's input, N×In
   * @param state the previous state (h, c), each N×H
   * @return the new state (h', c'), each N×H
   */
  public State step(Tape tape, Variable x, State state) {
    int H = hidden;
    // The stacked pre-activations, 4H wide: [i | f | g | o] parts side by side.
    Variable gi = Linear.apply(tape, x, weightIh, biasIh);           // W_ih x + b_ih
    Variable gh = Linear.apply(tape, state.h(), weightHh, biasHh);   // W_hh h + b_hh
    Variable a = Add.apply(tape, gi, gh);
    // i = σ(W_ii x + b_ii + W_hi h + b_hi)
    Variable i = Sigmoid.apply(tape, SliceColumns.apply(tape, a, 0, H));
    // f = σ(W_if x + b_if + W_hf h + b_hf)
    Variable f = Sigmoid.apply(tape, SliceColumns.apply(tape, a, H, 2 * H));
    // g = tanh(W_ig x + b_ig + W_hg h + b_hg)
    Variable g = Tanh.apply(tape, SliceColumns.apply(tape, a, 2 * H, 3 * H));
    // o = σ(W_io x + b_io + W_ho h + b_ho)
    Variable o = Sigmoid.apply(tape, SliceColumns.apply(tape, a, 3 * H, 4 * H));
    // c' = f ⊙ c + i ⊙ g
    Variable c = Add.apply(tape, Mul.apply(tape, f, state.c()), Mul.apply(tape, i, g));
    // h' = o ⊙ tanh(c')
    Variable h = Mul.apply(tape, o, Tanh.apply(tape, c));
    return new State(h, c);
  }

  /** {@return W_ih, 4H×In, rows i | f | g | o} */
  public Variable weightIh() {
    return weightIh;
  }

  /** {@return W_hh, 4H×H, rows i | f | g | o} */
  public Variable weightHh() {
    return weightHh;
  }

  /** {@return b_ih, 4H} */
  public Variable biasIh() {
    return biasIh;
  }

  /** {@return b_hh, 4H} */
  public Variable biasHh() {
    return biasHh;
  }

  /** {@return the hidden width H} */
  public int hidden() {
    return hidden;
  }

  /** {@return the input width} */
  public int inputSize() {
    return weightIh.shape().dim(1);
  }
}
