package dev.tapegrad.ops;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.kernel.ClampKernels;
import dev.tapegrad.tensor.Tensor;

/**
 * Each element clipped into {@code [min, max]}, elementwise ({@code torch.clamp(x, min, max)}),
 * either bound optional ({@code clamp_min}, {@code clamp_max}).
 *
 * <pre>
 *   y = min(max(x, lo), hi)
 * </pre>
 *
 * <p>Shapes: x any shape; y the same. A missing bound is ±∞ (which clips nothing). As in PyTorch,
 * {@code lo > hi} gives hi everywhere, and a NaN input stays NaN.
 *
 * <p>Derivative: 1 where {@code lo ≤ x ≤ hi}, bounds included (PyTorch's rule), 0 outside. Saved for
 * backward: the input x.
 */
public final class Clamp {

  private Clamp() {}

  /**
   * Returns x clipped into {@code [min, max]}.
   *
   * <pre>{@code
   * Variable p = Clamp.apply(tape, probs, 1e-7f, 1f - 1e-7f);   // away from log's poles
   * }</pre>
   *
   * @param tape the tape to record on
   * @param x the input
   * @param min the lower bound ({@link Float#NEGATIVE_INFINITY} for none)
   * @param max the upper bound ({@link Float#POSITIVE_INFINITY} for none)
   * @return the clipped values, x's shape
   */
  public static Variable apply(Tape tape, Variable x, float min, float max) {
    Tensor y = tape.zeros(x.shape());
    ClampKernels.clampForward(x.value().data(), min, max, y.data());
    Variable result = tape.output("Clamp", y, x);
    if (result.requiresGrad()) {
      Tensor saved = x.value();
      tape.record("Clamp", result, dOut -> backward(dOut, saved, min, max, x.gradBuffer()), x);
    }
    return result;
  }

  /**
   * Returns {@code max(x, min)} ({@code torch.clamp_min}, {@code clamp(x, min=min)}).
   *
   * @param tape the tape to record on
   * @param x the input
   * @param min the lower bound
   * @return the clipped values, x's shape
   */
  public static Variable min(Tape tape, Variable x, float min) {
    return apply(tape, x, min, Float.POSITIVE_INFINITY);
  }

  /**
   * Returns {@code min(x, max)} ({@code torch.clamp_max}, {@code clamp(x, max=max)}).
   *
   * @param tape the tape to record on
   * @param x the input
   * @param max the upper bound
   * @return the clipped values, x's shape
   */
  public static Variable max(Tape tape, Variable x, float max) {
    return apply(tape, x, Float.NEGATIVE_INFINITY, max);
  }

  private static void backward(Tensor dOut, Tensor x, float min, float max, Tensor dX) {
    // y = min(max(x, lo), hi)  ⇒  dX += dOut where lo ≤ x ≤ hi
    ClampKernels.clampBackward(dOut.data(), x.data(), min, max, dX.data());
  }
}
