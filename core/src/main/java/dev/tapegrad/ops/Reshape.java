package dev.tapegrad.ops;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.kernel.ElementwiseKernels;
import dev.tapegrad.tensor.Tensor;

/**
 * The same values with another shape, {@code torch.reshape} on a contiguous tensor.
 *
 * <pre>
 *   out = x, read row-major with new dimensions
 * </pre>
 *
 * <p>Shapes: x any shape with N elements; out any shape with N elements. For example a GRU's
 * (B, L, H) output becomes (B·L, H) for the decoder.
 *
 * <p>Derivative: the identity on the flat storage, {@code dX += dOut}. The output shares x's
 * storage; nothing is saved.
 */
public final class Reshape {

  private Reshape() {}

  /**
   * Returns {@code x} with new dimensions.
   *
   * @param tape the tape to record on
   * @param x the input
   * @param dims the new shape, with x's element count
   * @return a view of x's values with the new shape
   * @throws IllegalArgumentException naming both shapes if the element counts differ
   */
  public static Variable apply(Tape tape, Variable x, int... dims) {
    Tensor out;
    try {
      out = x.value().reshape(dims);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Reshape: " + e.getMessage(), e);
    }
    Variable result = tape.output("Reshape", out, x);
    if (result.requiresGrad()) {
      tape.record("Reshape", result, dOut -> backward(dOut, x.gradBuffer()), x);
    }
    return result;
  }

  private static void backward(Tensor dOut, Tensor dX) {
    // out is x, read with other dimensions  ⇒  dX += dOut, element for element
    ElementwiseKernels.axpy(1f, dOut.storage(), dX.storage());
  }
}
