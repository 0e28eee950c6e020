package dev.tapegrad.ops;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.kernel.ElementwiseKernels;
import dev.tapegrad.tensor.Tensor;

/**
 * The hyperbolic tangent, elementwise.
 *
 * <pre>
 *   y = tanh(x)
 * </pre>
 *
 * <p>Shapes: x any shape; y the same.
 *
 * <p>Derivative: {@code tanh'(x) = 1 − y²}. Saved for backward: the output y.
 */
public final class Tanh {

  private Tanh() {}

  /**
   * Returns {@code tanh(x)}.
   *
   * @param tape the tape to record on
   * @param x the input
   * @return tanh(x), x's shape
   */
  public static Variable apply(Tape tape, Variable x) {
    Tensor y = tape.zeros(x.shape());
    ElementwiseKernels.tanhForward(x.value().storage(), y.storage());
    Variable result = tape.output("Tanh", y, x);
    if (result.requiresGrad()) {
      tape.record("Tanh", result, dOut -> backward(dOut, y, x.gradBuffer()), x);
    }
    return result;
  }

  private static void backward(Tensor dOut, Tensor y, Tensor dX) {
    // y = tanh(x)  ⇒  dX += dOut · (1 − y²)
    ElementwiseKernels.tanhBackward(dOut.storage(), y.storage(), dX.storage());
  }
}
