package dev.tapegrad.ops;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.kernel.ElementwiseKernels;
import dev.tapegrad.tensor.Tensor;

/**
 * The mean of all elements.
 *
 * <pre>
 *   out = (1/N) Σ_i x_i
 * </pre>
 *
 * <p>Shapes: x any shape with N elements; out a scalar. The sum is accumulated in double.
 *
 * <p>Derivative: {@code ∂out/∂x_i = 1/N}. Nothing is saved.
 */
public final class Mean {

  private Mean() {}

  /**
   * Returns the mean of {@code x}'s elements.
   *
   * @param tape the tape to record on
   * @param x the input
   * @return a scalar
   */
  public static Variable apply(Tape tape, Variable x) {
    int count = x.value().size();
    Tensor out = Tensor.scalar((float) (ElementwiseKernels.sum(x.value().data()) / count));
    Variable result = tape.output("Mean", out, x);
    if (result.requiresGrad()) {
      tape.record("Mean", result, dOut -> backward(dOut, count, x.gradBuffer()), x);
    }
    return result;
  }

  private static void backward(Tensor dOut, int count, Tensor dX) {
    // out = (1/N) Σ_i x_i  ⇒  dX_i += dOut / N
    float[] dx = dX.data();
    float g = dOut.item() / count;
    for (int i = 0; i < dx.length; i++) {
      dx[i] += g;
    }
  }
}
