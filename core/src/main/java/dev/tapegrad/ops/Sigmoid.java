package dev.tapegrad.ops;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.kernel.ElementwiseKernels;
import dev.tapegrad.tensor.Tensor;

/**
 * The logistic sigmoid, elementwise.
 *
 * <pre>
 *   y = σ(x) = 1 / (1 + e^(−x))
 * </pre>
 *
 * <p>Shapes: x any shape; y the same.
 *
 * <p>Derivative: {@code σ'(x) = y (1 − y)}. Saved for backward: the output y, which makes the
 * derivative a product with no exponential to recompute.
 */
public final class Sigmoid {

  private Sigmoid() {}

  /**
   * Returns {@code σ(x)}.
   *
   * @param tape the tape to record on
   * @param x the input
   * @return σ(x), x's shape
   */
  public static Variable apply(Tape tape, Variable x) {
    Tensor y = tape.zeros(x.shape());
    ElementwiseKernels.sigmoidForward(x.value().storage(), y.storage());
    Variable result = tape.output("Sigmoid", y, x);
    if (result.requiresGrad()) {
      tape.record("Sigmoid", result, dOut -> backward(dOut, y, x.gradBuffer()), x);
    }
    return result;
  }

  private static void backward(Tensor dOut, Tensor y, Tensor dX) {
    // y = σ(x)  ⇒  dX += dOut · y (1 − y)
    ElementwiseKernels.sigmoidBackward(dOut.storage(), y.storage(), dX.storage());
  }
}
