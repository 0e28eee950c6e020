package dev.tapegrad.ops;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.kernel.ElementwiseKernels;
import dev.tapegrad.tensor.Tensor;

/**
 * The square root, elementwise ({@code torch.sqrt}).
 *
 * <pre>
 *   y = √x            (NaN below 0)
 * </pre>
 *
 * <p>Shapes: x any shape; y the same.
 *
 * <p>Derivative: {@code (√x)' = 1 / (2√x) = 1 / (2y)}, infinite at 0. Saved for backward: the
 * output y.
 */
public final class Sqrt {

  private Sqrt() {}

  /**
   * Returns {@code √x}.
   *
   * <pre>{@code
   * Variable norm = Sqrt.apply(tape, Sum.apply(tape, Mul.apply(tape, v, v)));
   * }</pre>
   *
   * @param tape the tape to record on
   * @param x the input
   * @return √x, x's shape
   */
  public static Variable apply(Tape tape, Variable x) {
    Tensor y = tape.zeros(x.shape());
    ElementwiseKernels.sqrtForward(x.value().storage(), y.storage());
    Variable result = tape.output("Sqrt", y, x);
    if (result.requiresGrad()) {
      tape.record("Sqrt", result, dOut -> backward(dOut, y, x.gradBuffer()), x);
    }
    return result;
  }

  private static void backward(Tensor dOut, Tensor y, Tensor dX) {
    // y = √x  ⇒  dX += dOut / (2y)
    ElementwiseKernels.sqrtBackward(dOut.storage(), y.storage(), dX.storage());
  }
}
