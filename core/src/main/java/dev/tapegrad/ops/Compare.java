package dev.tapegrad.ops;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.kernel.CompareKernels;
import dev.tapegrad.tensor.Broadcast;
import dev.tapegrad.tensor.Tensor;

/**
 * An elementwise comparison of two operands that broadcast, as a mask: {@code torch.eq}, {@code ne},
 * {@code lt}, {@code le}, {@code gt}, {@code ge} (one op, the relation a parameter).
 *
 * <pre>
 *   out[i] = 1 if a[a(i)] rel b[b(i)], else 0
 * </pre>
 *
 * <p>Shapes: a and b any shapes that broadcast ({@link Broadcast}); out their broadcast shape.
 *
 * <p><b>Masks.</b> Tapegrad's tensors are float, so where PyTorch returns a bool tensor this returns
 * a constant float tensor of 1 (true) and 0 (false). That is also what the ops that take a mask
 * read ({@link Where}, {@link MaskedFill}: any value other than 0 is true), and it composes with
 * arithmetic: {@code Mean(Compare(predicted, EQ, targets))} is an accuracy, {@code Mul(x, mask)}
 * zeroes the rest. Comparisons follow IEEE 754, as PyTorch's: every relation with a NaN is false
 * except NE.
 *
 * <p>No derivative: the result is a constant (PyTorch's comparisons are not differentiable either),
 * so nothing is recorded.
 */
public final class Compare {

  private Compare() {}

  /** The six comparisons, named as PyTorch's functions. */
  public enum Relation {
    /** Equal, {@code torch.eq}. */
    EQ,
    /** Not equal, {@code torch.ne}. */
    NE,
    /** Less than, {@code torch.lt}. */
    LT,
    /** Less than or equal, {@code torch.le}. */
    LE,
    /** Greater than, {@code torch.gt}. */
    GT,
    /** Greater than or equal, {@code torch.ge}. */
    GE
  }

  /**
   * Returns the mask of {@code a rel b}, broadcast.
   *
   * <pre>{@code
   * Variable correct = Compare.apply(tape, Argmax.apply(tape, logits, -1, false), Compare.Relation.EQ, targets);
   * float accuracy = Mean.apply(tape, correct).value().item();
   * }</pre>
   *
   * @param tape the tape whose arena holds the result
   * @param a the left operand
   * @param relation the comparison
   * @param b the right operand
   * @return 1 where the relation holds and 0 elsewhere, a constant in the broadcast shape
   * @throws IllegalArgumentException naming both shapes if they do not broadcast
   */
  public static Variable apply(Tape tape, Variable a, Relation relation, Variable b) {
    String op = "Compare." + relation;
    Broadcast bc = Broadcast.of(op, a.shape(), b.shape());
    Tensor out = tape.zeros(bc.shape());
    CompareKernels.compare(a.value().data(), bc.aOffsets(), bc.aStep(), CompareKernels.Relation.valueOf(
        relation.name()), b.value().data(), bc.bOffsets(), bc.bStep(), out.data(), bc.inner());
    return tape.output(op, out);
  }

  /**
   * Returns the mask of {@code a rel b} for a number b.
   *
   * <pre>{@code
   * Variable positive = Compare.apply(tape, x, Compare.Relation.GT, 0f);
   * }</pre>
   *
   * @param tape the tape whose arena holds the result
   * @param a the left operand
   * @param relation the comparison
   * @param b the number every element is compared with
   * @return 1 where the relation holds and 0 elsewhere, a constant of a's shape
   */
  public static Variable apply(Tape tape, Variable a, Relation relation, float b) {
    return apply(tape, a, relation, Variable.constant(Tensor.scalar(b)));
  }
}
