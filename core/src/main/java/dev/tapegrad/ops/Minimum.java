package dev.tapegrad.ops;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;

/**
 * The smaller of two operands that broadcast, elementwise ({@code torch.minimum}): {@link Maximum}
 * with the comparison reversed.
 *
 * <pre>
 *   out[i] = min(a[a(i)], b[b(i)])
 * </pre>
 *
 * <p>Shapes, NaN and the tie rule as {@link Maximum}: the gradient goes to the smaller operand, half
 * to each where they are equal. Saved for backward: both operands' values.
 */
public final class Minimum {

  private Minimum() {}

  /**
   * Returns {@code min(a, b)}, broadcast.
   *
   * <pre>{@code
   * Variable capped = Minimum.apply(tape, x, limits);   // (N, C) against (C)
   * }</pre>
   *
   * @param tape the tape to record on
   * @param a the first operand
   * @param b the second operand
   * @return the minima, in the broadcast shape
   * @throws IllegalArgumentException naming both shapes if they do not broadcast
   */
  public static Variable apply(Tape tape, Variable a, Variable b) {
    return Maximum.extreme("Minimum", tape, a, b, false);
  }
}
