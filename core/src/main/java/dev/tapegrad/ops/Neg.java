package dev.tapegrad.ops;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.kernel.ElementwiseKernels;
import dev.tapegrad.tensor.Tensor;

/**
 * Negation, elementwise ({@code torch.neg}).
 *
 * <pre>
 *   y = −x
 * </pre>
 *
 * <p>Shapes: x any shape; y the same.
 *
 * <p>Derivative: −1. Nothing is saved for backward.
 */
public final class Neg {

  private Neg() {}

  /**
   * Returns {@code −x}.
   *
   * <pre>{@code
   * Variable y = Neg.apply(tape, x);
   * }</pre>
   *
   * @param tape the tape to record on
   * @param x the input
   * @return −x, x's shape
   */
  public static Variable apply(Tape tape, Variable x) {
    Tensor y = tape.zeros(x.shape());
    ElementwiseKernels.negForward(x.value().storage(), y.storage());
    Variable result = tape.output("Neg", y, x);
    if (result.requiresGrad()) {
      tape.record("Neg", result, dOut -> backward(dOut, x.gradBuffer()), x);
    }
    return result;
  }

  private static void backward(Tensor dOut, Tensor dX) {
    // y = −x  ⇒  dX −= dOut
    ElementwiseKernels.axpy(-1f, dOut.storage(), dX.storage());
  }
}
