package dev.tapegrad.ops;

import static dev.tapegrad.testing.TestValues.backward;
import static dev.tapegrad.testing.TestValues.param;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.tensor.AllClose;
import org.junit.jupiter.api.Test;

class SumTest {

  @Test
  void addsEveryElementIntoAScalar() {
    // 1 + 2 + 3 + 4 = 10
    Variable out = Sum.apply(new Tape(), param("x", new float[] {1, 2, 3, 4}, 2, 2));
    assertEquals(0, out.shape().rank());
    assertEquals(10f, out.value().item());
  }

  @Test
  void accumulatesInDouble() {
    // in float, 2^24 + 1 rounds back to 2^24; in double the three terms sum to 2^24 + 2 exactly
    Variable out = Sum.apply(new Tape(), param("x", new float[] {16777216f, 1f, 1f}, 3));
    assertEquals(16777218f, out.value().item());
  }

  @Test
  void backwardSpreadsTheUpstreamGradientToEveryElement() {
    // out = Σ x_i  ⇒  dX_i = dOut = 3
    Variable x = param("x", new float[] {1, 2, 3, 4}, 2, 2);
    Tape tape = new Tape();
    backward(tape, Sum.apply(tape, x), 3f);
    AllClose.check("dX", new float[] {3, 3, 3, 3}, x.grad().data(), 0, 0);
  }

  @Test
  void backwardAccumulatesWhenInputIsUsedTwice() {
    // out = Σ x + Σ x  ⇒  dX = 2
    Variable x = param("x", new float[] {5, 6}, 2);
    Tape tape = new Tape();
    tape.backward(Add.apply(tape, Sum.apply(tape, x), Sum.apply(tape, x)));
    AllClose.check("dX", new float[] {2, 2}, x.grad().data(), 0, 0);
  }
}
