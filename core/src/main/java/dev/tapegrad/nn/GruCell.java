package dev.tapegrad.nn;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.ops.Add;
import dev.tapegrad.ops.Linear;
import dev.tapegrad.ops.Mul;
import dev.tapegrad.ops.Sigmoid;
import dev.tapegrad.ops.SliceColumns;
import dev.tapegrad.ops.Sub;
import dev.tapegrad.ops.Tanh;
import dev.tapegrad.tensor.Tensor;
import java.util.random.RandomGenerator;

/**
 * One GRU layer's parameters and its single time step, composed from primitive ops: the readable
 * reference that {@link dev.tapegrad.ops.FusedGru} is tested against ({@code torch.nn.GRUCell}).
 *
 * <p>One step, PyTorch's equations and gate order (r reset, z update, n new):
 * <pre>
 *   r  = σ(W_ir x + b_ir + W_hr h + b_hr)
 *   z  = σ(W_iz x + b_iz + W_hz h + b_hz)
 *   n  = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))
 *   h' = (1 − z) ⊙ n + z ⊙ h
 * </pre>
 * The reset gate decides how much of the past enters the candidate n; the update gate decides
 * how much of the old state is kept as it is. Where z is near 1 the state (and its gradient)
 * passes through unchanged, which is how a GRU remembers over many steps without the gradient
 * vanishing as it does through a plain tanh RNN.
 *
 * <p>Shapes: x (N, In); h (N, H); weightIh (3H, In) and weightHh (3H, H) with rows stacked
 * r | z | n; biasIh and biasHh (3H). Parameters start uniform(−1/√H, 1/√H), as in PyTorch.
 *
 * <p>There is no backward code here: every line is an op whose own backward is checked by finite
 * differences, and the tape chains them. A step records about a dozen tape entries.
 *
 * <pre>{@code
 * GruCell cell = GruCell.create(inputSize, hidden, new SplittableRandom(3));
 * Variable h = Variable.constant(Tensor.zeros(batch, hidden));
 * for (Variable xt : steps) {
 *   h = cell.step(tape, xt, h);
 * }
 * }</pre>
 */
public final class GruCell {

  private final Variable weightIh;
  private final Variable weightHh;
  private final Variable biasIh;
  private final Variable biasHh;
  private final int hidden;

  private GruCell(Variable weightIh, Variable weightHh, Variable biasIh, Variable biasHh) {
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
  public static GruCell create(int in, int hidden, RandomGenerator random, int layer) {
    float bound = (float) (1.0 / Math.sqrt(hidden));
    // PyTorch initialises in this order: weight_ih, weight_hh, bias_ih, bias_hh.
    Variable wIh = Variable.parameter("weight_ih_l" + layer, Tensor.uniform(random, -bound, bound, 3 * hidden, in));
    Variable wHh = Variable.parameter("weight_hh_l" + layer,
        Tensor.uniform(random, -bound, bound, 3 * hidden, hidden));
    Variable bIh = Variable.parameter("bias_ih_l" + layer, Tensor.uniform(random, -bound, bound, 3 * hidden));
    Variable bHh = Variable.parameter("bias_hh_l" + layer, Tensor.uniform(random, -bound, bound, 3 * hidden));
    return new GruCell(wIh, wHh, bIh, bHh);
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
    int H = hidden;
    // The two stacked projections, each 3H wide: [r | z | n] parts side by side.
    Variable gi = Linear.apply(tape, x, weightIh, biasIh);   // W_ih x + b_ih
    Variable gh = Linear.apply(tape, h, weightHh, biasHh);   // W_hh h + b_hh
    // r = σ(W_ir x + b_ir + W_hr h + b_hr)
    Variable r = Sigmoid.apply(tape,
        Add.apply(tape, SliceColumns.apply(tape, gi, 0, H), SliceColumns.apply(tape, gh, 0, H)));
    // z = σ(W_iz x + b_iz + W_hz h + b_hz)
    Variable z = Sigmoid.apply(tape,
        Add.apply(tape, SliceColumns.apply(tape, gi, H, 2 * H), SliceColumns.apply(tape, gh, H, 2 * H)));
    // n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))
    Variable n = Tanh.apply(tape, Add.apply(tape, SliceColumns.apply(tape, gi, 2 * H, 3 * H),
        Mul.apply(tape, r, SliceColumns.apply(tape, gh, 2 * H, 3 * H))));
    // h' = (1 − z) ⊙ n + z ⊙ h, written as n + z ⊙ (h − n)
    return Add.apply(tape, n, Mul.apply(tape, z, Sub.apply(tape, h, n)));
  }

  /** {@return W_ih, 3H×In, rows r | z | n} */
  public Variable weightIh() {
    return weightIh;
  }

  /** {@return W_hh, 3H×H, rows r | z | n} */
  public Variable weightHh() {
    return weightHh;
  }

  /** {@return b_ih, 3H} */
  public Variable biasIh() {
    return biasIh;
  }

  /** {@return b_hh, 3H} */
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
