package dev.tapegrad.ops;

import static dev.tapegrad.kernel.BroadcastKernels.Op.SUB;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.kernel.BroadcastKernels;
import dev.tapegrad.tensor.Broadcast;
import dev.tapegrad.tensor.Tensor;

/**
 * Elementwise difference of two operands that broadcast ({@link Broadcast}).
 *
 * <pre>
 *   out[i] = a[a(i)] − b[b(i)]
 * </pre>
 *
 * <p>Shapes: a and b any shapes that broadcast; out their broadcast shape. A {@code float} operand
 * is a rank-0 constant.
 *
 * <p>Derivatives: {@code ∂out/∂a = 1}, {@code ∂out/∂b = −1}, summed where an operand was
 * broadcast. Nothing is saved for backward.
 */
public final class Sub {

  private Sub() {}

  /**
   * Returns {@code a − b}.
   *
   * <pre>{@code
   * Variable centred = Sub.apply(tape, x, Mean.apply(tape, x, 0, true));   // (N, C) − (1, C)
   * }</pre>
   *
   * @param tape the tape to record on
   * @param a the minuend
   * @param b the subtrahend
   * @return the difference, in the broadcast shape
   * @throws IllegalArgumentException naming both shapes if they do not broadcast
   */
  public static Variable apply(Tape tape, Variable a, Variable b) {
    Broadcast bc = Broadcast.of("Sub", a.shape(), b.shape());
    int[] aAt = bc.aOffsets();
    int[] bAt = bc.bOffsets();
    Tensor out = tape.zeros(bc.shape());
    BroadcastKernels.forward(SUB, a.value().data(), aAt, bc.aStep(), b.value().data(), bAt, bc.bStep(), out.data(),
        bc.inner());
    Variable result = tape.output("Sub", out, a, b);
    if (result.requiresGrad()) {
      tape.record("Sub", result, dOut -> backward(dOut, bc, aAt, bAt, a.gradBuffer(), b.gradBuffer()), a, b);
    }
    return result;
  }

  /**
   * Returns {@code a − b} for a constant b.
   *
   * @param tape the tape to record on
   * @param a the minuend
   * @param b the number subtracted from every element
   * @return the difference, a's shape
   */
  public static Variable apply(Tape tape, Variable a, float b) {
    return apply(tape, a, Variable.constant(Tensor.scalar(b)));
  }

  /**
   * Returns {@code a − b} for a constant b rounded to float (so a {@code double} literal compiles).
   *
   * @param tape the tape to record on
   * @param a the variable
   * @param b the number
   * @return the result, a's shape
   */
  public static Variable apply(Tape tape, Variable a, double b) {
    return apply(tape, a, (float) b);
  }

  /**
   * Returns {@code a − b} for a constant a ({@code torch.rsub}).
   *
   * @param tape the tape to record on
   * @param a the number every element is subtracted from
   * @param b the subtrahend
   * @return the difference, b's shape
   */
  public static Variable apply(Tape tape, float a, Variable b) {
    return apply(tape, Variable.constant(Tensor.scalar(a)), b);
  }

  /**
   * Returns {@code a − b} for a constant a rounded to float.
   *
   * @param tape the tape to record on
   * @param a the number
   * @param b the variable
   * @return the result, b's shape
   */
  public static Variable apply(Tape tape, double a, Variable b) {
    return apply(tape, (float) a, b);
  }

  private static void backward(Tensor dOut, Broadcast bc, int[] aAt, int[] bAt, Tensor dA, Tensor dB) {
    // out = a − b  ⇒  dA += dOut, summed where a was broadcast
    if (dA != null) {
      BroadcastKernels.accumulate(1f, dOut.data(), dA.data(), aAt, bc.aStep(), bc.inner());
    }
    // out = a − b  ⇒  dB −= dOut, summed where b was broadcast
    if (dB != null) {
      BroadcastKernels.accumulate(-1f, dOut.data(), dB.data(), bAt, bc.bStep(), bc.inner());
    }
  }
}
