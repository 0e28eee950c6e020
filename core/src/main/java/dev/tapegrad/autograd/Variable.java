package dev.tapegrad.autograd;

import dev.tapegrad.tensor.Shape;
import dev.tapegrad.tensor.Tensor;
import java.util.Objects;

/**
 * A tensor value paired with the gradient that backward accumulates into it.
 *
 * <p>Leaves are made with {@link #parameter} (trainable: gradients are accumulated) or
 * {@link #constant} (inputs and targets: no gradient). Ops create the others; an op's output needs
 * a gradient exactly when its tape is recording and at least one input needs one (PyTorch's
 * {@code requires_grad} propagation).
 *
 * <p>Gradients accumulate across backward calls until {@link #zeroGrad()}: that is what makes a
 * value used twice receive both contributions, and it is why optimizers zero them explicitly.
 *
 * <p>A result that needs a gradient belongs to the tape that recorded it: only that tape can carry
 * a gradient back through it, so an op on another tape refuses it, and so does its own tape once
 * released by backward. {@link #detach()} makes the explicit cut, a constant with the same value
 * (what truncated back-propagation through time does at a chunk boundary). Leaves belong to no
 * tape and can be used on any.
 *
 * <pre>{@code
 * Variable w = Variable.parameter("w", Tensor.of(new float[] {2f}, 1));
 * Variable x = Variable.constant(Tensor.of(new float[] {3f}, 1));
 * Tape tape = new Tape();
 * Variable y = Mul.apply(tape, w, x);
 * tape.backward(Sum.apply(tape, y));
 * w.grad();  // [3.0]
 * }</pre>
 */
public final class Variable {

  private final String name;
  private final Tensor value;
  private final boolean requiresGrad;
  private final Tape tape;
  private Tensor grad;

  private Variable(String name, Tensor value, boolean requiresGrad, Tape tape) {
    this.name = name;
    this.value = Objects.requireNonNull(value, "value");
    this.requiresGrad = requiresGrad;
    this.tape = tape;
  }

  /**
   * Returns a trainable leaf: backward accumulates its gradient.
   *
   * @param name a name for messages and graphs, such as {@code "weight_ih_l0"}
   * @param value its value (not copied: the optimizer updates it in place)
   * @return the parameter
   */
  public static Variable parameter(String name, Tensor value) {
    return new Variable(name, value, true, null);
  }

  /**
   * Returns a leaf that needs no gradient, such as an input batch.
   *
   * @param value its value (not copied)
   * @return the constant
   */
  public static Variable constant(Tensor value) {
    return new Variable("const", value, false, null);
  }

  /**
   * Returns an op's result. Ops call this through {@link Tape#output}; user code rarely needs it.
   *
   * @param op the op's name, used as the variable's name
   * @param value the computed value
   * @param tape the tape that records the op, so that backward will accumulate a gradient into the
   *     result; {@code null} when it needs none
   * @return the result variable
   */
  static Variable result(String op, Tensor value, Tape tape) {
    return new Variable(op, value, tape != null, tape);
  }

  /**
   * Returns a constant with this variable's value (shared, not copied), cut off from the graph that
   * made it, like PyTorch's {@code detach()}: no gradient flows back through it, and any tape may
   * use it.
   *
   * <pre>{@code
   * Variable h = cell.step(tape, x, state).h();
   * Variable next = h.detach();   // start the next chunk from h's value, on a new tape
   * }</pre>
   *
   * @return the detached constant, named like this variable
   */
  public Variable detach() {
    return new Variable(name, value, false, null);
  }

  /**
   * Returns the tape that recorded the op that made this variable.
   *
   * @return the tape, or {@code null} for a leaf or a value that needs no gradient
   */
  Tape tape() {
    return tape;
  }

  /** {@return the name given at creation (the op's name for op results)} */
  public String name() {
    return name;
  }

  /** {@return the value (not a copy)} */
  public Tensor value() {
    return value;
  }

  /** {@return the value's shape} */
  public Shape shape() {
    return value.shape();
  }

  /** {@return whether backward accumulates a gradient into this variable} */
  public boolean requiresGrad() {
    return requiresGrad;
  }

  /**
   * Returns the accumulated gradient, with the value's shape, or {@code null} if no backward has
   * reached this variable since it was created or last zeroed.
   *
   * @return the gradient dLoss/dThis (live, not a copy), or {@code null}
   */
  public Tensor grad() {
    return grad;
  }

  /**
   * Returns the gradient buffer to accumulate into, creating it as zeros on first use, or
   * {@code null} if this variable needs no gradient. Backward steps pass these buffers to their
   * kernels, so a {@code null} buffer means "skip this input" (PyTorch's
   * {@code needs_input_grad}).
   *
   * @return the gradient buffer (live), or {@code null} for a variable that needs no gradient
   */
  public Tensor gradBuffer() {
    if (!requiresGrad) {
      return null;
    }
    if (grad == null) {
      // a result's gradient lives as long as its value: from its tape's arena, if it has one
      grad = tape != null ? tape.zeros(value.shape()) : Tensor.zeros(value.shape());
    }
    return grad;
  }

  /** Sets the gradient to zero (keeping the buffer, so steady-state training does not allocate). */
  public void zeroGrad() {
    if (grad != null) {
      grad.fillZero();
    }
  }

  @Override
  public String toString() {
    return name + value.shape() + (requiresGrad ? " requires grad" : "");
  }
}
