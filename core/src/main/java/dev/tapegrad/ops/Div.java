package dev.tapegrad.ops;

import static dev.tapegrad.kernel.BroadcastKernels.Op.DIV;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.kernel.BroadcastKernels;
import dev.tapegrad.tensor.Broadcast;
import dev.tapegrad.tensor.Tensor;

/**
 * Elementwise quotient of two operands that broadcast ({@link Broadcast}).
 *
 * <pre>
 *   out[i] = a[a(i)] / b[b(i)]
 * </pre>
 *
 * <p>Shapes: a and b any shapes that broadcast; out their broadcast shape. A {@code float} operand
 * is a rank-0 constant.
 *
 * <p>Derivatives: {@code ∂out/∂a = 1/b}, {@code ∂out/∂b = −a/b²}, summed where an operand was
 * broadcast. Saved for backward: both operands' values. Division by zero follows IEEE 754, as in
 * PyTorch: ±∞ or NaN, never an exception.
 */
public final class Div {

  private Div() {}

  /** What backward needs: numerator, denominator and where each output element reads them. */
  private record Saved(Tensor a, Tensor b, Broadcast bc, int[] aAt, int[] bAt) {}

  /**
   * Returns {@code a / b}.
   *
   * <pre>{@code
   * Variable probs = Div.apply(tape, e, Sum.apply(tape, e, -1, true));   // (N, C) / (N, 1)
   * Variable half = Div.apply(tape, x, 2f);
   * }</pre>
   *
   * @param tape the tape to record on
   * @param a the numerator
   * @param b the denominator
   * @return the quotient, in the broadcast shape
   * @throws IllegalArgumentException naming both shapes if they do not broadcast
   */
  public static Variable apply(Tape tape, Variable a, Variable b) {
    Broadcast bc = Broadcast.of("Div", a.shape(), b.shape());
    int[] aAt = bc.aOffsets();
    int[] bAt = bc.bOffsets();
    Tensor out = tape.zeros(bc.shape());
    BroadcastKernels.forward(DIV, a.value().data(), aAt, bc.aStep(), b.value().data(), bAt, bc.bStep(), out.data(),
        bc.inner());
    Variable result = tape.output("Div", out, a, b);
    if (result.requiresGrad()) {
      Saved saved = new Saved(a.value(), b.value(), bc, aAt, bAt);
      tape.record("Div", result, dOut -> backward(dOut, saved, a.gradBuffer(), b.gradBuffer()), a, b);
    }
    return result;
  }

  /**
   * Returns {@code a / b} for a constant b.
   *
   * @param tape the tape to record on
   * @param a the numerator
   * @param b the number every element is divided by
   * @return the quotient, a's shape
   */
  public static Variable apply(Tape tape, Variable a, float b) {
    return apply(tape, a, Variable.constant(Tensor.scalar(b)));
  }

  /**
   * Returns {@code a / b} for a constant b rounded to float (so a {@code double} literal compiles).
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
   * Returns {@code a / b} for a constant a.
   *
   * @param tape the tape to record on
   * @param a the number divided by every element
   * @param b the denominator
   * @return the quotient, b's shape
   */
  public static Variable apply(Tape tape, float a, Variable b) {
    return apply(tape, Variable.constant(Tensor.scalar(a)), b);
  }

  /**
   * Returns {@code a / b} for a constant a rounded to float.
   *
   * @param tape the tape to record on
   * @param a the number
   * @param b the variable
   * @return the result, b's shape
   */
  public static Variable apply(Tape tape, double a, Variable b) {
    return apply(tape, (float) a, b);
  }

  private static void backward(Tensor dOut, Saved s, Tensor dA, Tensor dB) {
    Broadcast bc = s.bc();
    // out = a / b  ⇒  dA += dOut / b, summed where a was broadcast
    if (dA != null) {
      BroadcastKernels.divBackwardNumerator(dOut.data(), s.b().data(), s.bAt(), bc.bStep(), dA.data(), s.aAt(),
          bc.aStep(), bc.inner());
    }
    // out = a / b  ⇒  dB −= dOut · a / b², summed where b was broadcast
    if (dB != null) {
      BroadcastKernels.divBackwardDenominator(dOut.data(), s.a().data(), s.aAt(), bc.aStep(), s.b().data(),
          dB.data(), s.bAt(), bc.bStep(), bc.inner());
    }
  }
}
