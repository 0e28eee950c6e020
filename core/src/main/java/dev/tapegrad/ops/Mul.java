package dev.tapegrad.ops;

import static dev.tapegrad.kernel.BroadcastKernels.Op.MUL;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.kernel.BroadcastKernels;
import dev.tapegrad.tensor.Broadcast;
import dev.tapegrad.tensor.Tensor;

/**
 * Elementwise (Hadamard) product of two operands that broadcast ({@link Broadcast}).
 *
 * <pre>
 *   out[i] = a[a(i)] · b[b(i)]
 * </pre>
 *
 * <p>Shapes: a and b any shapes that broadcast; out their broadcast shape. A {@code float} operand
 * is a rank-0 constant.
 *
 * <p>Derivatives: {@code ∂out/∂a = b}, {@code ∂out/∂b = a}, summed where an operand was
 * broadcast. Saved for backward: both operands' values (references, not copies; the tape refuses
 * to back-propagate if they change).
 */
public final class Mul {

  private Mul() {}

  /** What backward needs: the two factors and where each output element reads them. */
  private record Saved(Tensor a, Tensor b, Broadcast bc, int[] aAt, int[] bAt) {}

  /**
   * Returns {@code a ⊙ b}.
   *
   * <pre>{@code
   * Variable gated = Mul.apply(tape, z, h);     // same shapes
   * Variable doubled = Mul.apply(tape, x, 2f);  // a scalar
   * }</pre>
   *
   * @param tape the tape to record on
   * @param a the first factor
   * @param b the second factor
   * @return the product, in the broadcast shape
   * @throws IllegalArgumentException naming both shapes if they do not broadcast
   */
  public static Variable apply(Tape tape, Variable a, Variable b) {
    Broadcast bc = Broadcast.of("Mul", a.shape(), b.shape());
    int[] aAt = bc.aOffsets();
    int[] bAt = bc.bOffsets();
    Tensor out = tape.zeros(bc.shape());
    BroadcastKernels.forward(MUL, a.value().data(), aAt, bc.aStep(), b.value().data(), bAt, bc.bStep(), out.data(),
        bc.inner());
    Variable result = tape.output("Mul", out, a, b);
    if (result.requiresGrad()) {
      Saved saved = new Saved(a.value(), b.value(), bc, aAt, bAt);
      tape.record("Mul", result, dOut -> backward(dOut, saved, a.gradBuffer(), b.gradBuffer()), a, b);
    }
    return result;
  }

  /**
   * Returns {@code a · b} for a constant b.
   *
   * @param tape the tape to record on
   * @param a the first factor
   * @param b the number every element is multiplied by
   * @return the product, a's shape
   */
  public static Variable apply(Tape tape, Variable a, float b) {
    return apply(tape, a, Variable.constant(Tensor.scalar(b)));
  }

  /**
   * Returns {@code a · b} for a constant b rounded to float (so a {@code double} literal compiles).
   *
   * @param tape the tape to record on
   * @param a the variable
   * @param b the number
   * @return the result, a's shape
   */
  public static Variable apply(Tape tape, Variable a, double b) {
    return apply(tape, a, (float) b);
  }

  private static void backward(Tensor dOut, Saved s, Tensor dA, Tensor dB) {
    Broadcast bc = s.bc();
    // out = a ⊙ b  ⇒  dA += dOut ⊙ b, summed where a was broadcast
    if (dA != null) {
      BroadcastKernels.accumulateProduct(dOut.data(), s.b().data(), s.bAt(), bc.bStep(), dA.data(), s.aAt(), bc.aStep(),
          bc.inner());
    }
    // out = a ⊙ b  ⇒  dB += dOut ⊙ a, summed where b was broadcast
    if (dB != null) {
      BroadcastKernels.accumulateProduct(dOut.data(), s.a().data(), s.aAt(), bc.aStep(), dB.data(), s.bAt(), bc.bStep(),
          bc.inner());
    }
  }
}
