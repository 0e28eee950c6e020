package dev.tapegrad.autograd;

import dev.tapegrad.tensor.Tensor;

/**
 * One recorded op's backward: given the gradient of the loss with respect to the op's output,
 * accumulate the gradients with respect to its inputs.
 *
 * <p>Implementations must not modify {@code dOut} or anything the op saved for backward.
 *
 * <pre>{@code
 * // inside an op computing y = 2x: dX += 2 · dOut
 * tape.record("Double", result, dOut -> {
 *   float[] dx = x.gradBuffer().storage();
 *   for (int i = 0; i < dx.length; i++) {
 *     dx[i] += 2 * dOut.storage()[i];
 *   }
 * }, x);
 * }</pre>
 */
@FunctionalInterface
public interface BackwardStep {

  /**
   * Accumulates input gradients.
   *
   * @param dOut the gradient of the loss with respect to the op's output (read only)
   */
  void backward(Tensor dOut);
}
