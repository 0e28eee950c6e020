package dev.tapegrad.ops;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.kernel.ElementwiseKernels;
import dev.tapegrad.tensor.Tensor;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Inverted dropout at training time, {@code torch.nn.functional.dropout(x, p, training=True)}:
 * each element is kept with probability 1 − p and scaled by 1 / (1 − p), or else zeroed.
 *
 * <pre>
 *   u_i ~ U[0, 1), one draw per element from the caller's generator, in row-major order
 *   m_i = 1 / (1 − p)   if u_i ≥ p      (probability 1 − p)
 *         0             otherwise       (probability p)
 *   out = x ⊙ m
 * </pre>
 *
 * <p>Shapes: x any shape; out the same; the mask m has x's shape.
 *
 * <p>Because the survivors are scaled up, {@code E[out_i] = (1 − p) · x_i / (1 − p) = x_i}: the
 * expected output is the input, so at evaluation the op is simply left out (p = 0) with no
 * rescaling of the weights.
 *
 * <p>Derivative: {@code ∂out_i/∂x_i = m_i}, the same mask, so {@code dX += dOut ⊙ m}. Saved for
 * backward: the mask m (its values 0 or 1 / (1 − p), so the backward is one multiply).
 *
 * <p>Note: the op itself has no mode, like {@code torch.nn.functional.dropout}: the caller passes
 * p = 0 at evaluation. The layers that use it, {@link dev.tapegrad.nn.Dropout} and
 * {@link dev.tapegrad.nn.Recurrent}, do so themselves in evaluation mode
 * ({@link dev.tapegrad.nn.Module#eval()}). The op drops elements whether or not the tape is recording, as {@code torch.no_grad()} does not
 * switch dropout off either; {@link dev.tapegrad.autograd.GradCheck} relies on that, since it
 * re-runs the forward with recording off.
 *
 * <p>Note: p = 1 is refused, where PyTorch returns zeros: the scale 1 / (1 − p) would be infinite,
 * and an op that always outputs zeros passes no gradient back.
 *
 * <p>Note: the mask is saved as one float per element, 0 or the scale. PyTorch keeps a one-byte
 * boolean mask and multiplies by the scale in backward; a float mask costs four times the memory
 * of that but makes forward and backward the plain products of {@link Mul}.
 */
public final class Dropout {

  private Dropout() {}

  /** What backward needs: the mask m, 0 or 1 / (1 − p) per element. */
  private record Saved(Tensor mask) {}

  /**
   * Returns x with each element zeroed with probability p and the others scaled by 1 / (1 − p).
   *
   * <p>The mask takes exactly one {@code random.nextDouble()} per element of x, in row-major
   * order, so a generator in the same state gives the same mask. With {@code p == 0} nothing is
   * drawn, nothing is recorded, and x itself is returned.
   *
   * <pre>{@code
   * RandomGenerator random = new SplittableRandom(42);
   * Variable h = Tanh.apply(tape, Linear.apply(tape, x, w, b));
   * Variable dropped = Dropout.apply(tape, h, 0.5f, random);   // training
   * Variable kept = Dropout.apply(tape, h, 0f, null);           // evaluation: h itself
   * }</pre>
   *
   * @param tape the tape to record on
   * @param x the input
   * @param p the probability of zeroing an element, in [0, 1)
   * @param random the source of the mask; may be {@code null} when {@code p == 0}
   * @return x ⊙ m, x's shape; x itself when {@code p == 0}
   * @throws IllegalArgumentException naming p if p is not in [0, 1) (NaN included)
   * @throws NullPointerException if {@code random} is null and {@code p > 0}
   */
  public static Variable apply(Tape tape, Variable x, float p, RandomGenerator random) {
    // !(p >= 0 && p < 1) also refuses NaN, for which every comparison is false.
    if (!(p >= 0f && p < 1f)) {
      throw new IllegalArgumentException("Dropout: p must be in [0, 1), got p = " + p);
    }
    if (p == 0f) {
      return x;
    }
    Objects.requireNonNull(random, "Dropout: random must not be null when p > 0");
    // m_i = 1 / (1 − p) if u_i ≥ p, else 0: kept with probability P(u ≥ p) = 1 − p
    float scale = (float) (1.0 / (1.0 - p));
    Tensor mask = tape.zeros(x.shape());
    float[] m = mask.data();
    for (int i = 0; i < m.length; i++) {
      m[i] = random.nextDouble() >= p ? scale : 0f;
    }
    // out = x ⊙ m
    Tensor out = tape.zeros(x.shape());
    ElementwiseKernels.mulForward(x.value().data(), m, out.data());
    Variable result = tape.output("Dropout", out, x);
    if (result.requiresGrad()) {
      Saved saved = new Saved(mask);
      tape.record("Dropout", result, dOut -> backward(dOut, saved, x.gradBuffer()), x);
    }
    return result;
  }

  private static void backward(Tensor dOut, Saved saved, Tensor dX) {
    // out = x ⊙ m  ⇒  dX += dOut ⊙ m (a dropped element passes no gradient back)
    float[] m = saved.mask().data();
    ElementwiseKernels.mulBackward(dOut.data(), m, dX.data());
  }
}
