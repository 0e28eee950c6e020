package dev.tapegrad.ops;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.kernel.ClampKernels;
import dev.tapegrad.tensor.Tensor;

/**
 * The absolute value, elementwise ({@code torch.abs}).
 *
 * <pre>
 *   y = |x|
 * </pre>
 *
 * <p>Shapes: x any shape; y the same.
 *
 * <p>Derivative: {@code sign(x)}: 1 for x &gt; 0, −1 for x &lt; 0, and 0 at the kink x = 0, as
 * PyTorch's {@code sgn}. Saved for backward: the input x (the output cannot tell the sign).
 */
public final class Abs {

  private Abs() {}

  /**
   * Returns {@code |x|}.
   *
   * <pre>{@code
   * Variable l1 = Sum.apply(tape, Abs.apply(tape, weight));   // an L1 penalty
   * }</pre>
   *
   * @param tape the tape to record on
   * @param x the input
   * @return |x|, x's shape
   */
  public static Variable apply(Tape tape, Variable x) {
    Tensor y = tape.zeros(x.shape());
    ClampKernels.absForward(x.value().data(), y.data());
    Variable result = tape.output("Abs", y, x);
    if (result.requiresGrad()) {
      Tensor saved = x.value();
      tape.record("Abs", result, dOut -> backward(dOut, saved, x.gradBuffer()), x);
    }
    return result;
  }

  private static void backward(Tensor dOut, Tensor x, Tensor dX) {
    // y = |x|  ⇒  dX += dOut · sign(x), 0 at x = 0
    ClampKernels.absBackward(dOut.data(), x.data(), dX.data());
  }
}
