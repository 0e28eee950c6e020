package dev.tapegrad.ops;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.kernel.ElementwiseKernels;
import dev.tapegrad.tensor.Tensor;

/**
 * The natural logarithm, elementwise ({@code torch.log}).
 *
 * <pre>
 *   y = ln x          (−∞ at 0 and NaN below, as in IEEE 754 and PyTorch)
 * </pre>
 *
 * <p>Shapes: x any shape; y the same.
 *
 * <p>Derivative: {@code (ln x)' = 1/x}. Saved for backward: the input x.
 */
public final class Log {

  private Log() {}

  /** What backward needs: the input. */
  private record Saved(Tensor x) {}

  /**
   * Returns {@code ln x}.
   *
   * <pre>{@code
   * Variable nll = Neg.apply(tape, Log.apply(tape, probs));
   * }</pre>
   *
   * @param tape the tape to record on
   * @param x the input
   * @return ln x, x's shape
   */
  public static Variable apply(Tape tape, Variable x) {
    Tensor y = tape.zeros(x.shape());
    ElementwiseKernels.logForward(x.value().storage(), y.storage());
    Variable result = tape.output("Log", y, x);
    if (result.requiresGrad()) {
      Saved saved = new Saved(x.value());
      tape.record("Log", result, dOut -> backward(dOut, saved, x.gradBuffer()), x);
    }
    return result;
  }

  private static void backward(Tensor dOut, Saved saved, Tensor dX) {
    // y = ln x  ⇒  dX += dOut / x
    ElementwiseKernels.logBackward(dOut.storage(), saved.x().storage(), dX.storage());
  }
}
