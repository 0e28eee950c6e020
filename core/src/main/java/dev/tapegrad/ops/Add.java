package dev.tapegrad.ops;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.kernel.ElementwiseKernels;
import dev.tapegrad.tensor.Tensor;

/**
 * Elementwise sum, with an optional row-broadcast second operand.
 *
 * <pre>
 *   out = a + b              (b has a's shape)
 *   out[r, j] = a[r, j] + b[j]   (b is 1-D, one value per column: a bias)
 * </pre>
 *
 * <p>Shapes: a is any shape (…, C); b is a's shape or (C); out has a's shape.
 *
 * <p>Derivatives: {@code ∂out/∂a = 1}, {@code ∂out/∂b = 1}; a broadcast b receives the sum of
 * its rows' gradients. Nothing is saved for backward.
 */
public final class Add {

  private Add() {}

  /**
   * Returns {@code a + b}.
   *
   * @param tape the tape to record on
   * @param a the first operand
   * @param b the second operand, a's shape or one row of it
   * @return the sum, a's shape
   * @throws IllegalArgumentException naming both shapes if they do not fit
   */
  public static Variable apply(Tape tape, Variable a, Variable b) {
    int cols = Checks.broadcastColumns("Add", a, b);
    Tensor out = Tensor.zeros(a.shape());
    ElementwiseKernels.addForward(a.value().data(), b.value().data(), out.data(), cols);
    Variable result = tape.output("Add", out, a, b);
    if (result.requiresGrad()) {
      tape.record("Add", result, dOut -> backward(dOut, a.gradBuffer(), b.gradBuffer(), cols), a, b);
    }
    return result;
  }

  private static void backward(Tensor dOut, Tensor dA, Tensor dB, int cols) {
    // out = a + b  ⇒  dA += dOut
    if (dA != null) {
      ElementwiseKernels.axpy(1f, dOut.data(), dA.data());
    }
    // out = a + b  ⇒  dB += dOut, summed over the rows b was broadcast to
    if (dB != null) {
      ElementwiseKernels.sumRowsInto(1f, dOut.data(), dB.data(), cols);
    }
  }
}
