package dev.tapegrad.ops;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.kernel.ElementwiseKernels;
import dev.tapegrad.tensor.Tensor;

/**
 * The rectified linear unit, elementwise ({@code torch.relu}).
 *
 * <pre>
 *   y = max(x, 0)
 * </pre>
 *
 * <p>Shapes: x any shape; y the same.
 *
 * <p>Derivative: 1 where x &gt; 0, else 0 (at the kink x = 0 too, as in PyTorch). Saved for
 * backward: the output y, which is positive exactly where x is.
 */
public final class Relu {

  private Relu() {}

  /**
   * Returns {@code max(x, 0)}.
   *
   * <pre>{@code
   * Variable h = Relu.apply(tape, hidden.forward(tape, x));
   * }</pre>
   *
   * @param tape the tape to record on
   * @param x the input
   * @return max(x, 0), x's shape
   */
  public static Variable apply(Tape tape, Variable x) {
    Tensor y = tape.zeros(x.shape());
    ElementwiseKernels.reluForward(x.value().storage(), y.storage());
    Variable result = tape.output("Relu", y, x);
    if (result.requiresGrad()) {
      tape.record("Relu", result, dOut -> backward(dOut, y, x.gradBuffer()), x);
    }
    return result;
  }

  private static void backward(Tensor dOut, Tensor y, Tensor dX) {
    // y = max(x, 0)  ⇒  dX += dOut where y > 0
    ElementwiseKernels.reluBackward(dOut.storage(), y.storage(), dX.storage());
  }
}
