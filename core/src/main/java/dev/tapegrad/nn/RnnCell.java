package dev.tapegrad.nn;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.ops.Add;
import dev.tapegrad.ops.Linear;
import dev.tapegrad.ops.Tanh;
import dev.tapegrad.tensor.Tensor;
import java.util.random.RandomGenerator;

/**
 * One plain tanh-RNN layer's parameters and its single time step, composed from primitive ops:
 * the readable reference that {@link dev.tapegrad.ops.FusedRnn} is tested against
 * ({@code torch.nn.RNNCell} with {@code nonlinearity='tanh'}).
 *
 * <p>One step:
 * <pre>
 *   h' = tanh(W_ih x + b_ih + W_hh h + b_hh)
 * </pre>
 * Note: the gradient reaching h from h' is (dh' ⊙ (1 − h'²)) W_hh. Over many steps it is a product
 * of such factors, which shrinks (or grows) geometrically: the vanishing gradient that gated cells
 * ({@link GruCell}, {@link LstmCell}) were designed to avoid.
 *
 * <p>Shapes: x (N, In); h (N, H); weightIh (H, In); weightHh (H, H); biasIh and biasHh (H).
 * Parameters start uniform(−1/√H, 1/√H), as in PyTorch.
 *
 * <p>There is no backward code here: every line is an op whose own backward is checked by finite
 * differences, and the tape chains them. A step records four tape entries.
 *
 * <pre>{@code
 * RnnCell cell = RnnCell.create(inputSize, hidden, new SplittableRandom(3), 0);
 * Variable h = Variable.constant(Tensor.zeros(batch, hidden));
 * for (Variable xt : steps) {
 *   h = cell.step(tape, xt, h);
 * }
 * }</pre>
 */
public final class RnnCell {

  private final Variable weightIh;
  private final Variable weightHh;
  private final Variable biasIh;
  private final Variable biasHh;
  private final int hidden;

  private RnnCell(Variable weightIh, Variable weightHh, Variable biasIh, Variable biasHh) {
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
  public static RnnCell create(int in, int hidden, RandomGenerator random, int layer) {
    float bound = (float) (1.0 / Math.sqrt(hidden));
    // PyTorch initialises in this order: weight_ih, weight_hh, bias_ih, bias_hh.
    Variable wIh = Variable.parameter("weight_ih_l" + layer, Tensor.uniform(random, -bound, bound, hidden, in));
    Variable wHh = Variable.parameter("weight_hh_l" + layer, Tensor.uniform(random, -bound, bound, hidden, hidden));
    Variable bIh = Variable.parameter("bias_ih_l" + layer, Tensor.uniform(random, -bound, bound, hidden));
    Variable bHh = Variable.parameter("bias_hh_l" + layer, Tensor.uniform(random, -bound, bound, hidden));
    return new RnnCell(wIh, wHh, bIh, bHh);
  }

  /**
   * One time step, composed from primitive ops.
   *
   * @param tape the tape to record on
   * @param x this step's input, N×In
   * @param h the previous hidden state, N×H
   * @return the new hidden state h', N×H
   */
  public Variable step(Tape tape, Variable x, Variable h) {
    Variable gi = Linear.apply(tape, x, weightIh, biasIh);   // W_ih x + b_ih
    Variable gh = Linear.apply(tape, h, weightHh, biasHh);   // W_hh h + b_hh
    // h' = tanh(W_ih x + b_ih + W_hh h + b_hh)
    return Tanh.apply(tape, Add.apply(tape, gi, gh));
  }

  /** {@return W_ih, H×In} */
  public Variable weightIh() {
    return weightIh;
  }

  /** {@return W_hh, H×H} */
  public Variable weightHh() {
    return weightHh;
  }

  /** {@return b_ih, H} */
  public Variable biasIh() {
    return biasIh;
  }

  /** {@return b_hh, H} */
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
