package dev.tapegrad.ops;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.kernel.GeluKernels;
import dev.tapegrad.tensor.Tensor;

/**
 * The Gaussian error linear unit, elementwise ({@code torch.nn.functional.gelu(x, approximate)}):
 * exact by default, or its tanh approximation.
 *
 * <pre>
 *   none (exact):  y = x Φ(x) = ½ x (1 + erf(x / √2))
 *   tanh:          y = ½ x (1 + tanh(√(2/π) (x + 0.044715 x³)))
 * </pre>
 *
 * <p>Shapes: x any shape; y the same. Φ is the standard normal CDF, evaluated in double from an
 * erf accurate to about one float ulp (see {@link GeluKernels}, which also notes the far negative
 * tail, where PyTorch's float formula rounds to 0 and this one does not).
 *
 * <p>Derivatives: exact, {@code Φ(x) + x φ(x)} with {@code φ(x) = e^(−x²/2) / √(2π)}; tanh, with
 * {@code t = tanh(u)}, {@code u = √(2/π)(x + 0.044715 x³)}:
 * {@code ½(1 + t) + ½ x (1 − t²) √(2/π)(1 + 3·0.044715 x²)}. Saved for backward: the input x.
 */
public final class Gelu {

  /** PyTorch's {@code approximate} argument for the exact form. */
  public static final String NONE = "none";

  /** PyTorch's {@code approximate} argument for the tanh approximation. */
  public static final String TANH = "tanh";

  private Gelu() {}

  /**
   * Returns the exact GELU, {@code x Φ(x)} ({@code approximate='none'}, PyTorch's default).
   *
   * <pre>{@code
   * Variable h = Gelu.apply(tape, Linear.apply(tape, x, w1, b1));   // a transformer's MLP
   * }</pre>
   *
   * @param tape the tape to record on
   * @param x the input
   * @return GELU(x), x's shape
   */
  public static Variable apply(Tape tape, Variable x) {
    return apply(tape, x, NONE);
  }

  /**
   * Returns the GELU with PyTorch's {@code approximate} argument.
   *
   * <pre>{@code
   * Variable h = Gelu.apply(tape, x, Gelu.TANH);   // GPT-2's "gelu_new"
   * }</pre>
   *
   * @param tape the tape to record on
   * @param x the input
   * @param approximate {@code "none"} (exact) or {@code "tanh"}
   * @return GELU(x), x's shape
   * @throws IllegalArgumentException if {@code approximate} is neither
   */
  public static Variable apply(Tape tape, Variable x, String approximate) {
    boolean tanh = TANH.equals(approximate);
    if (!tanh && !NONE.equals(approximate)) {
      throw new IllegalArgumentException("Gelu: approximate must be \"none\" or \"tanh\", got \"" + approximate
          + "\"");
    }
    Tensor y = tape.zeros(x.shape());
    if (tanh) {
      GeluKernels.geluTanhForward(x.value().data(), y.data());
    } else {
      GeluKernels.geluForward(x.value().data(), y.data());
    }
    Variable result = tape.output("Gelu", y, x);
    if (result.requiresGrad()) {
      Tensor saved = x.value();
      tape.record("Gelu", result, dOut -> backward(dOut, saved, tanh, x.gradBuffer()), x);
    }
    return result;
  }

  private static void backward(Tensor dOut, Tensor x, boolean tanh, Tensor dX) {
    if (tanh) {
      // y = ½x(1 + t)  ⇒  dX += dOut · (½(1 + t) + ½x(1 − t²) u')
      GeluKernels.geluTanhBackward(dOut.data(), x.data(), dX.data());
    } else {
      // y = x Φ(x)  ⇒  dX += dOut · (Φ(x) + x φ(x))
      GeluKernels.geluBackward(dOut.data(), x.data(), dX.data());
    }
  }
}
