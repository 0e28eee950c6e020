package dev.tapegrad.ops;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.kernel.CompareKernels;
import dev.tapegrad.tensor.Broadcast;
import dev.tapegrad.tensor.Tensor;

/**
 * The larger of two operands that broadcast, elementwise ({@code torch.maximum}); the shared
 * implementation of {@link Minimum}.
 *
 * <pre>
 *   out[i] = max(a[a(i)], b[b(i)])
 * </pre>
 *
 * <p>Shapes: a and b any shapes that broadcast ({@link Broadcast}); out their broadcast shape. A NaN
 * in either operand gives NaN.
 *
 * <p>Derivatives, PyTorch 1.13's rule: the gradient goes to the larger operand; where they are
 * equal each receives half ({@code ∂out/∂a = ∂out/∂b = ½}); summed where an operand was
 * broadcast. Saved for backward: both operands' values.
 */
public final class Maximum {

  private Maximum() {}

  /** What backward needs: both operands and where each output element reads them. */
  private record Saved(Tensor a, Tensor b, Broadcast bc, int[] aAt, int[] bAt, boolean max) {}

  /**
   * Returns {@code max(a, b)}, broadcast.
   *
   * <pre>{@code
   * Variable leaky = Maximum.apply(tape, x, Mul.apply(tape, x, 0.01f));   // a leaky relu
   * }</pre>
   *
   * @param tape the tape to record on
   * @param a the first operand
   * @param b the second operand
   * @return the maxima, in the broadcast shape
   * @throws IllegalArgumentException naming both shapes if they do not broadcast
   */
  public static Variable apply(Tape tape, Variable a, Variable b) {
    return extreme("Maximum", tape, a, b, true);
  }

  /**
   * The elementwise maximum or minimum, shared with {@link Minimum}.
   *
   * @param op the op's name
   * @param tape the tape to record on
   * @param a the first operand
   * @param b the second operand
   * @param max true for the maximum, false for the minimum
   * @return the result, in the broadcast shape
   */
  static Variable extreme(String op, Tape tape, Variable a, Variable b, boolean max) {
    Broadcast bc = Broadcast.of(op, a.shape(), b.shape());
    int[] aAt = bc.aOffsets();
    int[] bAt = bc.bOffsets();
    Tensor out = tape.zeros(bc.shape());
    CompareKernels.extremeForward(a.value().data(), aAt, bc.aStep(), b.value().data(), bAt, bc.bStep(), out.data(),
        bc.inner(), max);
    Variable result = tape.output(op, out, a, b);
    if (result.requiresGrad()) {
      Saved saved = new Saved(a.value(), b.value(), bc, aAt, bAt, max);
      tape.record(op, result, dOut -> backward(dOut, saved, a.gradBuffer(), b.gradBuffer()), a, b);
    }
    return result;
  }

  private static void backward(Tensor dOut, Saved s, Tensor dA, Tensor dB) {
    // out = max(a, b)  ⇒  dA += dOut where a > b, dB += dOut where b > a, each ½ dOut where a = b
    Broadcast bc = s.bc();
    CompareKernels.extremeBackward(dOut.data(), s.a().data(), s.aAt(), bc.aStep(), s.b().data(), s.bAt(),
        bc.bStep(), dA == null ? null : dA.data(), dB == null ? null : dB.data(), bc.inner(), s.max());
  }
}
