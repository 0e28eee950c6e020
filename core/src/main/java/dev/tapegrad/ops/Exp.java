package dev.tapegrad.ops;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.kernel.ElementwiseKernels;
import dev.tapegrad.tensor.Tensor;

/**
 * The exponential, elementwise ({@code torch.exp}).
 *
 * <pre>
 *   y = e^x
 * </pre>
 *
 * <p>Shapes: x any shape; y the same.
 *
 * <p>Derivative: {@code (e^x)' = e^x = y}. Saved for backward: the output y, so backward is one
 * product and no exponential.
 */
public final class Exp {

  private Exp() {}

  /**
   * Returns {@code e^x}.
   *
   * <pre>{@code
   * Variable e = Exp.apply(tape, logits);
   * }</pre>
   *
   * @param tape the tape to record on
   * @param x the input
   * @return e^x, x's shape
   */
  public static Variable apply(Tape tape, Variable x) {
    Tensor y = tape.zeros(x.shape());
    ElementwiseKernels.expForward(x.value().storage(), y.storage());
    Variable result = tape.output("Exp", y, x);
    if (result.requiresGrad()) {
      tape.record("Exp", result, dOut -> backward(dOut, y, x.gradBuffer()), x);
    }
    return result;
  }

  private static void backward(Tensor dOut, Tensor y, Tensor dX) {
    // y = e^x  ⇒  dX += dOut · y
    ElementwiseKernels.mulBackward(dOut.storage(), y.storage(), dX.storage());
  }
}
