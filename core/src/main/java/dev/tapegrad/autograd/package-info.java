/**
 * Reverse-mode automatic differentiation with an explicit tape.
 *
 * <p>Reading order: {@link dev.tapegrad.autograd.Variable} (a tensor paired with the gradient
 * backward accumulates into it), {@link dev.tapegrad.autograd.BackwardStep} (what an op leaves on
 * the tape), {@link dev.tapegrad.autograd.Tape} (the ordered record of a forward pass, replayed
 * in reverse by {@code backward}, and exportable as a Graphviz graph), and
 * {@link dev.tapegrad.autograd.GradCheck} (finite differences, to check any op's backward).
 *
 * <p>There is no hidden global tape: every op takes the tape to record on as its first argument,
 * so independent models can train side by side, one tape per thread. A result belongs to the tape
 * that recorded it, and another tape refuses it ({@link dev.tapegrad.autograd.Variable#detach()} is
 * the explicit cut); a value changed in place between an op and backward is refused too, by the
 * tensors' version counts.
 */
package dev.tapegrad.autograd;
