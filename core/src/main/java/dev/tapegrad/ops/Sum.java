package dev.tapegrad.ops;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.kernel.ElementwiseKernels;
import dev.tapegrad.tensor.Tensor;

/**
 * The sum of all elements.
 *
 * <pre>
 *   out = Σ_i x_i
 * </pre>
 *
 * <p>Shapes: x any shape; out a scalar. The sum is accumulated in double.
 *
 * <p>Derivative: {@code ∂out/∂x_i = 1}, so {@code dX += dOut} everywhere. Nothing is saved.
 */
public final class Sum {

  private Sum() {}

  /**
   * Returns the sum of {@code x}'s elements.
   *
   * @param tape the tape to record on
   * @param x the input
   * @return a scalar
   */
  public static Variable apply(Tape tape, Variable x) {
    Tensor out = Tensor.scalar((float) ElementwiseKernels.sum(x.value().data()));
    Variable result = tape.output("Sum", out, x);
    if (result.requiresGrad()) {
      tape.record("Sum", result, dOut -> backward(dOut, x.gradBuffer()), x);
    }
    return result;
  }

  private static void backward(Tensor dOut, Tensor dX) {
    // out = Σ_i x_i  ⇒  dX_i += dOut
    float[] dx = dX.data();
    float g = dOut.item();
    for (int i = 0; i < dx.length; i++) {
      dx[i] += g;
    }
  }
}
