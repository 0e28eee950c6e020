package dev.tapegrad.ops;

import static dev.tapegrad.kernel.BroadcastKernels.Op.ADD;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.kernel.BroadcastKernels;
import dev.tapegrad.tensor.Broadcast;
import dev.tapegrad.tensor.Tensor;

/**
 * Elementwise sum of two operands that broadcast ({@link Broadcast}: NumPy's rule, both ways).
 *
 * <pre>
 *   out[i] = a[a(i)] + b[b(i)]        for example  out[r, j] = a[r, j] + b[j]  (b a row: a bias)
 * </pre>
 *
 * <p>Shapes: a and b any shapes that broadcast; out their broadcast shape. A {@code float} operand
 * is a rank-0 constant.
 *
 * <p>Derivatives: {@code ∂out/∂a = 1}, {@code ∂out/∂b = 1}; an operand read at several outputs
 * (broadcast) receives the sum of their gradients. Nothing is saved for backward.
 */
public final class Add {

  private Add() {}

  /**
   * Returns {@code a + b}.
   *
   * <pre>{@code
   * Variable y = Add.apply(tape, xw, bias);   // (N, C) + (C): the bias added to every row
   * Variable z = Add.apply(tape, y, 1f);      // a scalar, added everywhere
   * }</pre>
   *
   * @param tape the tape to record on
   * @param a the first operand
   * @param b the second operand
   * @return the sum, in the broadcast shape
   * @throws IllegalArgumentException naming both shapes if they do not broadcast
   */
  public static Variable apply(Tape tape, Variable a, Variable b) {
    Broadcast bc = Broadcast.of("Add", a.shape(), b.shape());
    int[] aAt = bc.aOffsets();
    int[] bAt = bc.bOffsets();
    Tensor out = tape.zeros(bc.shape());
    BroadcastKernels.forward(ADD, a.value().data(), aAt, bc.aStep(), b.value().data(), bAt, bc.bStep(), out.data(),
        bc.inner());
    Variable result = tape.output("Add", out, a, b);
    if (result.requiresGrad()) {
      tape.record("Add", result, dOut -> backward(dOut, bc, aAt, bAt, a.gradBuffer(), b.gradBuffer()), a, b);
    }
    return result;
  }

  /**
   * Returns {@code a + b} for a constant b.
   *
   * @param tape the tape to record on
   * @param a the first operand
   * @param b the number added to every element
   * @return the sum, a's shape
   */
  public static Variable apply(Tape tape, Variable a, float b) {
    return apply(tape, a, Variable.constant(Tensor.scalar(b)));
  }

  /**
   * Returns {@code a + b} for a constant b rounded to float (so a {@code double} literal compiles).
   *
   * @param tape the tape to record on
   * @param a the variable
   * @param b the number
   * @return the result, a's shape
   */
  public static Variable apply(Tape tape, Variable a, double b) {
    return apply(tape, a, (float) b);
  }

  private static void backward(Tensor dOut, Broadcast bc, int[] aAt, int[] bAt, Tensor dA, Tensor dB) {
    // out = a + b  ⇒  dA += dOut, summed where a was broadcast
    if (dA != null) {
      BroadcastKernels.accumulate(1f, dOut.data(), dA.data(), aAt, bc.aStep(), bc.inner());
    }
    // out = a + b  ⇒  dB += dOut, summed where b was broadcast
    if (dB != null) {
      BroadcastKernels.accumulate(1f, dOut.data(), dB.data(), bAt, bc.bStep(), bc.inner());
    }
  }
}
