package dev.tapegrad.ops;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.kernel.CompareKernels;
import dev.tapegrad.tensor.Broadcast;
import dev.tapegrad.tensor.Shape;
import dev.tapegrad.tensor.Tensor;

/**
 * Elementwise choice between two operands by a condition, all three broadcast
 * ({@code torch.where(cond, a, b)}).
 *
 * <pre>
 *   out[i] = cond[c(i)] ≠ 0 ? a[a(i)] : b[b(i)]
 * </pre>
 *
 * <p>Shapes: cond, a and b any shapes that broadcast together ({@link Broadcast}, applied twice);
 * out their broadcast shape. The condition is a mask as {@link Compare} makes it: any value other
 * than 0 (NaN too) is true.
 *
 * <p>Derivatives: {@code ∂out/∂a = [cond]}, {@code ∂out/∂b = [¬cond]}, summed where an operand was
 * broadcast; the condition receives none (it is read as a constant, as PyTorch's bool condition).
 * Saved for backward: the condition's values and the three index maps.
 *
 * <p>Note: with three operands the run layout of {@link Broadcast} does not fit one loop, so the op
 * builds one index per output element for each operand (three int arrays of the output's size).
 */
public final class Where {

  private Where() {}

  /** What backward needs: the condition and where each output element reads each operand. */
  private record Saved(Tensor cond, int[] condAt, int[] aAt, int[] bAt) {}

  /**
   * Returns {@code cond ? a : b}, elementwise and broadcast.
   *
   * <pre>{@code
   * Variable safe = Where.apply(tape, Compare.apply(tape, x, Compare.Relation.GT, 0f), Log.apply(tape, x), zeros);
   * }</pre>
   *
   * @param tape the tape to record on
   * @param cond the condition, a mask
   * @param a the values taken where it holds
   * @param b the values taken elsewhere
   * @return the choice, in the broadcast shape
   * @throws IllegalArgumentException naming the shapes if they do not broadcast
   */
  public static Variable apply(Tape tape, Variable cond, Variable a, Variable b) {
    Shape shape = Broadcast.shape("Where", Broadcast.shape("Where", cond.shape(), a.shape()), b.shape());
    int[] condAt = indexIn(shape, cond.shape());
    int[] aAt = indexIn(shape, a.shape());
    int[] bAt = indexIn(shape, b.shape());
    Tensor out = tape.zeros(shape);
    CompareKernels.whereForward(cond.value().data(), condAt, a.value().data(), aAt, b.value().data(), bAt,
        out.data());
    Variable result = tape.output("Where", out, a, b);
    if (result.requiresGrad()) {
      Saved saved = new Saved(cond.value(), condAt, aAt, bAt);
      tape.record("Where", result, dOut -> backward(dOut, saved, a.gradBuffer(), b.gradBuffer()), a, b);
    }
    return result;
  }

  private static void backward(Tensor dOut, Saved s, Tensor dA, Tensor dB) {
    // out = cond ? a : b  ⇒  dA += dOut where cond, dB += dOut elsewhere, summed where broadcast
    CompareKernels.whereBackward(dOut.data(), s.cond().data(), s.condAt(), dA == null ? null : dA.data(), s.aAt(),
        dB == null ? null : dB.data(), s.bAt());
  }

  /** Where each element of {@code out} reads an operand that broadcasts to it, one index per element. */
  private static int[] indexIn(Shape out, Shape operand) {
    Broadcast bc = Broadcast.of("Where", out, operand);
    int[] offsets = bc.bOffsets();
    int[] at = new int[bc.size()];
    for (int r = 0; r < offsets.length; r++) {
      for (int j = 0; j < bc.inner(); j++) {
        at[r * bc.inner() + j] = offsets[r] + j * bc.bStep();
      }
    }
    return at;
  }
}
