package dev.tapegrad.ops;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.kernel.ElementwiseKernels;
import dev.tapegrad.tensor.Tensor;

/**
 * Elementwise (Hadamard) product, with an optional row-broadcast second operand.
 *
 * <pre>
 *   out = a ⊙ b              (b has a's shape)
 *   out[r, j] = a[r, j] · b[j]   (b is 1-D)
 * </pre>
 *
 * <p>Shapes: a is any shape (…, C); b is a's shape or (C); out has a's shape.
 *
 * <p>Derivatives: {@code ∂out/∂a = b}, {@code ∂out/∂b = a} (summed over rows when broadcast).
 * Saved for backward: both operands' values (references, not copies; ops never modify values).
 */
public final class Mul {

  private Mul() {}

  /** What backward needs: the two factors and b's repeating length. */
  private record Saved(Tensor a, Tensor b, int cols) {}

  /**
   * Returns {@code a ⊙ b}.
   *
   * @param tape the tape to record on
   * @param a the first factor
   * @param b the second factor, a's shape or one row of it
   * @return the product, a's shape
   * @throws IllegalArgumentException naming both shapes if they do not fit
   */
  public static Variable apply(Tape tape, Variable a, Variable b) {
    int cols = Checks.broadcastColumns("Mul", a, b);
    Tensor out = Tensor.zeros(a.shape());
    ElementwiseKernels.mulForward(a.value().data(), b.value().data(), out.data(), cols);
    Variable result = tape.output("Mul", out, a, b);
    if (result.requiresGrad()) {
      Saved saved = new Saved(a.value(), b.value(), cols);
      tape.record("Mul", result, dOut -> backward(dOut, saved, a.gradBuffer(), b.gradBuffer()), a, b);
    }
    return result;
  }

  private static void backward(Tensor dOut, Saved saved, Tensor dA, Tensor dB) {
    // out = a ⊙ b  ⇒  dA += dOut ⊙ b
    if (dA != null) {
      ElementwiseKernels.mulBackwardFull(dOut.data(), saved.b().data(), dA.data(), saved.cols());
    }
    // out = a ⊙ b  ⇒  dB += dOut ⊙ a, summed over broadcast rows
    if (dB != null) {
      ElementwiseKernels.mulBackwardBroadcast(dOut.data(), saved.a().data(), dB.data(), saved.cols());
    }
  }
}
