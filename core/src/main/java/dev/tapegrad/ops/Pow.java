package dev.tapegrad.ops;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.kernel.ElementwiseKernels;
import dev.tapegrad.tensor.Tensor;

/**
 * A power with a constant exponent, elementwise ({@code torch.pow(x, p)} for a number p).
 *
 * <pre>
 *   y = x^p           (as Math.pow: NaN for x &lt; 0 and a non-integer p)
 * </pre>
 *
 * <p>Shapes: x any shape; y the same.
 *
 * <p>Derivative: {@code ∂y/∂x = p · x^(p−1)}, and 0 for p = 0 (PyTorch's convention, which also
 * avoids 0 · ∞ at x = 0). Saved for backward: the input x and p; {@code x^(p−1)} is recomputed
 * rather than derived from y, which would divide by x.
 */
public final class Pow {

  private Pow() {}

  /** What backward needs: the input and the exponent. */
  private record Saved(Tensor x, float p) {}

  /**
   * Returns x^p for a constant p rounded to float (so {@code Pow.apply(tape, x, 0.5)} compiles).
   *
   * @param tape the tape to record on
   * @param x the base
   * @param p the exponent, a constant
   * @return x^p, x's shape
   */
  public static Variable apply(Tape tape, Variable x, double p) {
    return apply(tape, x, (float) p);
  }

  /**
   * Returns {@code x^p}.
   *
   * <pre>{@code
   * Variable squared = Pow.apply(tape, error, 2f);
   * Variable reciprocal = Pow.apply(tape, x, -1f);
   * }</pre>
   *
   * @param tape the tape to record on
   * @param x the base
   * @param p the exponent, a constant
   * @return x^p, x's shape
   */
  public static Variable apply(Tape tape, Variable x, float p) {
    Tensor y = tape.zeros(x.shape());
    ElementwiseKernels.powForward(x.value().data(), p, y.data());
    Variable result = tape.output("Pow", y, x);
    if (result.requiresGrad()) {
      Saved saved = new Saved(x.value(), p);
      tape.record("Pow", result, dOut -> backward(dOut, saved, x.gradBuffer()), x);
    }
    return result;
  }

  private static void backward(Tensor dOut, Saved saved, Tensor dX) {
    // y = x^p  ⇒  dX += dOut · p · x^(p−1)
    ElementwiseKernels.powBackward(dOut.data(), saved.x().data(), saved.p(), dX.data());
  }
}
