package dev.tapegrad.nn;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.tensor.Tensor;
import java.util.random.RandomGenerator;

/**
 * An affine layer, {@code torch.nn.Linear}: {@code y = x Wᵀ + b} with W (Out×In) and b (Out),
 * both initialised uniform(−1/√In, 1/√In), which is what PyTorch's default initialisation
 * amounts to.
 *
 * <pre>{@code
 * Linear decoder = Linear.create(hidden, vocab, new SplittableRandom(2));
 * Variable logits = decoder.forward(tape, h);   // N×vocab
 * }</pre>
 */
public final class Linear extends AbstractModule {

  private final Variable weight;
  private final Variable bias;

  private Linear(Variable weight, Variable bias) {
    this.weight = register("weight", weight);
    this.bias = register("bias", bias);
  }

  /**
   * Returns a new layer with PyTorch's default initialisation.
   *
   * @param in input features
   * @param out output features
   * @param random the only source of randomness
   * @return the layer
   */
  public static Linear create(int in, int out, RandomGenerator random) {
    float bound = (float) (1.0 / Math.sqrt(in));
    Variable w = Variable.parameter("weight", Tensor.uniform(random, -bound, bound, out, in));
    Variable b = Variable.parameter("bias", Tensor.uniform(random, -bound, bound, out));
    return new Linear(w, b);
  }

  /**
   * Applies the layer; see {@link dev.tapegrad.ops.Linear}.
   *
   * @param tape the tape to record on
   * @param x the input, (…, In): any leading dimensions, as PyTorch
   * @return the output, (…, Out)
   */
  public Variable forward(Tape tape, Variable x) {
    return dev.tapegrad.ops.Linear.apply(tape, x, weight, bias);
  }

  /**
   * Applies the layer to one input vector with no tape: {@code y = W x + b}; see
   * {@link dev.tapegrad.ops.Linear#infer}.
   *
   * @param x the input, In floats from {@code offset}
   * @param offset index of x[0]
   * @param y receives the output, Out floats (overwritten)
   */
  public void infer(float[] x, int offset, float[] y) {
    dev.tapegrad.ops.Linear.infer(weight.value(), bias.value(), x, offset, y);
  }

  /** {@return W, Out×In} */
  public Variable weight() {
    return weight;
  }

  /** {@return b, Out} */
  public Variable bias() {
    return bias;
  }
}
