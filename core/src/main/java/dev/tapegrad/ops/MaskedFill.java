package dev.tapegrad.ops;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.kernel.CompareKernels;
import dev.tapegrad.tensor.Broadcast;
import dev.tapegrad.tensor.Tensor;

/**
 * A value written wherever a mask is true ({@code x.masked_fill(mask, value)}), x and the mask
 * broadcast.
 *
 * <pre>
 *   out[i] = mask[m(i)] ≠ 0 ? value : x[x(i)]
 * </pre>
 *
 * <p>Shapes: x and mask any shapes that broadcast ({@link Broadcast}); out their broadcast shape
 * (PyTorch's out-of-place {@code masked_fill} expands both). The mask is as {@link Compare} makes
 * it: any value other than 0 is true. The value may be ±∞: {@code −∞} above the diagonal is the
 * causal mask of attention scores before a softmax.
 *
 * <p>Derivative: {@code ∂out/∂x = [mask = 0]}: nothing flows back where the value was filled in;
 * summed where x was broadcast. The mask receives none. Saved for backward: the mask's values.
 */
public final class MaskedFill {

  private MaskedFill() {}

  /** What backward needs: the mask and where each output element reads it and x. */
  private record Saved(Tensor mask, Broadcast bc, int[] xAt, int[] maskAt) {}

  /**
   * Returns x with {@code value} wherever the mask is true.
   *
   * <pre>{@code
   * // scores (B, T, T); causal (T, T) holds 1 above the diagonal
   * Variable masked = MaskedFill.apply(tape, scores, causal, Float.NEGATIVE_INFINITY);
   * Variable weights = Softmax.apply(tape, masked, -1);
   * }</pre>
   *
   * @param tape the tape to record on
   * @param x the input
   * @param mask where to write the value
   * @param value the value written
   * @return the filled values, in the broadcast shape
   * @throws IllegalArgumentException naming both shapes if they do not broadcast
   */
  public static Variable apply(Tape tape, Variable x, Variable mask, float value) {
    Broadcast bc = Broadcast.of("MaskedFill", x.shape(), mask.shape());
    int[] xAt = bc.aOffsets();
    int[] maskAt = bc.bOffsets();
    Tensor out = tape.zeros(bc.shape());
    CompareKernels.maskedFillForward(x.value().data(), xAt, bc.aStep(), mask.value().data(), maskAt, bc.bStep(), value,
        out.data(), bc.inner());
    Variable result = tape.output("MaskedFill", out, x);
    if (result.requiresGrad()) {
      Saved saved = new Saved(mask.value(), bc, xAt, maskAt);
      tape.record("MaskedFill", result, dOut -> backward(dOut, saved, x.gradBuffer()), x);
    }
    return result;
  }

  private static void backward(Tensor dOut, Saved s, Tensor dX) {
    // out = mask ? value : x  ⇒  dX += dOut where the mask is 0, summed where x was broadcast
    Broadcast bc = s.bc();
    CompareKernels.maskedFillBackward(dOut.data(), s.mask().data(), s.maskAt(), bc.bStep(), dX.data(), s.xAt(),
        bc.aStep(), bc.inner());
  }
}
