package dev.tapegrad.autograd;

import static dev.tapegrad.testing.TestValues.assertThrowsWithMessage;
import static dev.tapegrad.testing.TestValues.param;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tapegrad.ops.Mul;
import dev.tapegrad.ops.Reshape;
import dev.tapegrad.ops.Sum;
import dev.tapegrad.ops.Tanh;
import dev.tapegrad.optim.Adam;
import dev.tapegrad.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The mistakes that used to give silently wrong gradients: a result used on another tape (or on
 * its own after backward released it), and a value changed in place between forward and backward,
 * by any of the ordinary (tracked) writers or by an array the tensor was made from. All are
 * errors or impossible now; {@link Variable#detach()} is the explicit cut, and
 * {@link dev.tapegrad.tensor.Tensor#storage()} the explicit untracked write.
 */
class SafeTapeTest {

  /** {@code w²} recorded on a tape of its own, as a helper method with its own {@code new Tape()} would. */
  private static Variable squareOnItsOwnTape(Variable w) {
    return Mul.apply(new Tape(), w, w);
  }

  @Test
  void aResultOfAnotherTapeIsRefusedNamingTheOpTheInputAndBothTapes() {
    // d(w³)/dw at w = 3 is 27; backward could only reach w directly (giving w² = 9), so it is refused
    Variable w = param("w", new float[] {3}, 1);
    Variable square = squareOnItsOwnTape(w);
    Tape tape = new Tape();
    IllegalArgumentException e = assertThrowsWithMessage(IllegalArgumentException.class,
        () -> Mul.apply(tape, square, w), "Mul", "input 'Mul' [1]", "recorded on Tape@", "not on " + tape,
        "detach()");
    assertFalse(e.getMessage().contains("\n"));
  }

  @Test
  void onOneTapeTheCubeHasItsFullGradient() {
    // w³ = (w · w) · w  ⇒  d/dw = 3w² = 27
    Variable w = param("w", new float[] {3}, 1);
    Tape tape = new Tape();
    tape.backward(Sum.apply(tape, Mul.apply(tape, Mul.apply(tape, w, w), w)));
    assertEquals(27f, w.grad().item());
  }

  @Test
  void detachIsTheExplicitCut() {
    // w² detached is the constant 9: d(9 · w)/dw = 9, and w² passes no gradient back
    Variable w = param("w", new float[] {3}, 1);
    Variable square = squareOnItsOwnTape(w).detach();
    assertFalse(square.requiresGrad());
    Tape tape = new Tape();
    tape.backward(Sum.apply(tape, Mul.apply(tape, square, w)));
    assertEquals(9f, w.grad().item());
  }

  @Test
  void detachSharesTheValueAndKeepsTheName() {
    Variable y = Tanh.apply(new Tape(), param("x", new float[] {0}, 1));
    Variable d = y.detach();
    assertEquals(y.value(), d.value());
    assertEquals("Tanh", d.name());
  }

  @Test
  void aResultOfAReleasedTapeIsRefusedOnANewTape() {
    Variable x = param("x", new float[] {0.5f}, 1);
    Tape first = new Tape();
    Variable y = Tanh.apply(first, x);
    first.backward(Sum.apply(first, y));
    Tape second = new Tape();
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Tanh.apply(second, y), "Tanh", "(released)",
        "detach()");
    // with no gradient wanted, any tape may read it
    try (Tape.NoGrad off = second.noGrad()) {
      assertFalse(Tanh.apply(second, y).requiresGrad());
    }
  }

  @Test
  void backwardRefusesAnOutputOfAnotherTape() {
    Variable x = param("x", new float[] {1}, 1);
    Variable loss = Sum.apply(new Tape(), x);
    assertThrowsWithMessage(IllegalArgumentException.class, () -> new Tape().backward(loss), "backward",
        "recorded on Tape@");
  }

  @Test
  void changingAnInputBeforeBackwardIsAnError() {
    // d(w²)/dw at w = 3 is 6; with w changed to 5 in between, backward would say 10
    Variable w = param("w", new float[] {3}, 1);
    Tape tape = new Tape();
    Variable loss = Sum.apply(tape, Mul.apply(tape, w, w));
    w.value().set(5f, 0);
    assertThrowsWithMessage(IllegalStateException.class, () -> tape.backward(loss), "Mul", "input 0 'w' [1]",
        "modified in place", "version 0, now 1");
    assertNull(w.grad(), "nothing is accumulated when the check fails");
  }

  @Test
  void fillingAnInputBeforeBackwardIsAnError() {
    // PyTorch's w.fill_(5): the ordinary way to change every value is tracked
    Variable w = param("w", new float[] {3}, 1);
    Tape tape = new Tape();
    Variable loss = Sum.apply(tape, Mul.apply(tape, w, w));
    w.value().fill(5f);
    assertThrowsWithMessage(IllegalStateException.class, () -> tape.backward(loss), "Mul", "input 0 'w' [1]",
        "modified in place");
    assertNull(w.grad());
  }

  @Test
  void copyingAnArrayIntoAnInputBeforeBackwardIsAnError() {
    // PyTorch's w.copy_(values): tracked too
    Variable w = param("w", new float[] {3, 4}, 2);
    Tape tape = new Tape();
    Variable loss = Sum.apply(tape, Mul.apply(tape, w, w));
    w.value().copyFrom(new float[] {5, 6});
    assertThrowsWithMessage(IllegalStateException.class, () -> tape.backward(loss), "Mul", "input 0 'w' [2]",
        "modified in place");
    assertNull(w.grad());
  }

  @Test
  void anArrayATensorWasMadeFromCannotChangeItBehindTheTape() {
    // with the old zero-copy wrap, values[0] = 5 made backward say d(w²)/dw = 10 at w = 3
    float[] values = {3};
    Variable w = Variable.parameter("w", Tensor.of(values, 1));
    Tape tape = new Tape();
    Variable loss = Sum.apply(tape, Mul.apply(tape, w, w));
    values[0] = 5f;
    tape.backward(loss);
    assertEquals(6f, w.grad().item());
  }

  @Test
  void aWriteThroughStorageCountsOnceMarked() {
    Variable w = param("w", new float[] {3}, 1);
    Tape tape = new Tape();
    Variable loss = Sum.apply(tape, Mul.apply(tape, w, w));
    w.value().storage()[0] = 5f;
    w.value().markModified();
    assertThrowsWithMessage(IllegalStateException.class, () -> tape.backward(loss), "modified in place");
  }

  @Test
  void anOptimizerStepBeforeBackwardIsAnError() {
    Variable w = param("w", new float[] {3}, 1);
    Adam adam = Adam.create(List.of(w), 0.1f);
    Tape tape = new Tape();
    Variable loss = Sum.apply(tape, Mul.apply(tape, w, w));
    adam.step();
    assertThrowsWithMessage(IllegalStateException.class, () -> tape.backward(loss), "Mul", "'w'",
        "modified in place");
  }

  @Test
  void changingAnOutputBeforeBackwardIsAnError() {
    // tanh's backward reads its saved output
    Variable x = param("x", new float[] {0.5f, 1}, 2);
    Tape tape = new Tape();
    Variable y = Tanh.apply(tape, x);
    Variable loss = Sum.apply(tape, y);
    y.value().copyFrom(Tensor.zeros(2));
    assertThrowsWithMessage(IllegalStateException.class, () -> tape.backward(loss), "Tanh", "output 'Tanh' [2]",
        "modified in place");
  }

  @Test
  void aChangeThroughAReshapedViewCounts() {
    Variable w = param("w", new float[] {1, 2, 3, 4}, 2, 2);
    Tape tape = new Tape();
    Variable loss = Sum.apply(tape, Mul.apply(tape, w, w));
    w.value().reshape(4).set(0f, 1);
    assertThrowsWithMessage(IllegalStateException.class, () -> tape.backward(loss), "modified in place");
  }

  @Test
  void changingAValueAfterBackwardIsFine() {
    Variable w = param("w", new float[] {3}, 1);
    Tape tape = new Tape();
    Variable y = Reshape.apply(tape, Mul.apply(tape, w, w), 1);
    tape.backward(Sum.apply(tape, y));
    w.value().set(5f, 0);
    assertEquals(6f, w.grad().item());
  }

  @Test
  void aRetainedTapeChecksAgainOnTheNextPass() {
    Variable w = param("w", new float[] {3}, 1);
    Tape tape = new Tape();
    Variable loss = Sum.apply(tape, Mul.apply(tape, w, w));
    tape.backward(loss, Tensor.scalar(1f), true);
    w.value().set(5f, 0);
    assertThrowsWithMessage(IllegalStateException.class, () -> tape.backward(loss, Tensor.scalar(1f), false),
        "modified in place");
    assertEquals(6f, w.grad().item(), "the second pass accumulated nothing");
  }
}
