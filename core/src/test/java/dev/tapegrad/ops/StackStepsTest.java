package dev.tapegrad.ops;

import static dev.tapegrad.testing.TestValues.assertThrowsWithMessage;
import static dev.tapegrad.testing.TestValues.backward;
import static dev.tapegrad.testing.TestValues.constant;
import static dev.tapegrad.testing.TestValues.param;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.tensor.AllClose;
import dev.tapegrad.tensor.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

class StackStepsTest {

  private static final double EXACT = 0;

  @Test
  void stacksStepsAlongANewTimeAxis() {
    // s0 = [[1, 2], [3, 4]], s1 = [[5, 6], [7, 8]] (B 2, D 2); out[b, t, :] = s_t[b, :]
    //   out[0] = [[1, 2], [5, 6]], out[1] = [[3, 4], [7, 8]]
    Variable s0 = param("s0", new float[] {1, 2, 3, 4}, 2, 2);
    Variable s1 = param("s1", new float[] {5, 6, 7, 8}, 2, 2);
    Variable out = StackSteps.apply(new Tape(), List.of(s0, s1));
    assertEquals(Shape.of(2, 2, 2), out.shape());
    AllClose.check("out", new float[] {1, 2, 5, 6, 3, 4, 7, 8}, out.value().storage(), EXACT, EXACT);
  }

  @Test
  void backwardGivesEachStepItsTimeSlice() {
    // dOut flat [1..8]: dS0 = dOut[:, 0, :] = [[1, 2], [5, 6]], dS1 = dOut[:, 1, :] = [[3, 4], [7, 8]]
    Variable s0 = param("s0", new float[4], 2, 2);
    Variable s1 = param("s1", new float[4], 2, 2);
    Tape tape = new Tape();
    backward(tape, StackSteps.apply(tape, List.of(s0, s1)), 1, 2, 3, 4, 5, 6, 7, 8);
    AllClose.check("dS0", new float[] {1, 2, 5, 6}, s0.grad().storage(), EXACT, EXACT);
    AllClose.check("dS1", new float[] {3, 4, 7, 8}, s1.grad().storage(), EXACT, EXACT);
  }

  @Test
  void isTheInverseOfSelectStep() {
    Variable s0 = param("s0", new float[] {1, 2, 3}, 1, 3);
    Variable s1 = param("s1", new float[] {4, 5, 6}, 1, 3);
    Tape tape = new Tape();
    Variable seq = StackSteps.apply(tape, List.of(s0, s1));
    AllClose.check("step 1", s1.value().storage(), SelectStep.apply(tape, seq, 1).value().storage(), EXACT, EXACT);
  }

  @Test
  void backwardAccumulatesWhenInputIsUsedTwice() {
    // [x, x] stacked: dX = dOut[:, 0, :] + dOut[:, 1, :] = [1, 2] + [3, 4] = [4, 6]
    Variable x = param("x", new float[] {1, 2}, 1, 2);
    Tape tape = new Tape();
    backward(tape, StackSteps.apply(tape, List.of(x, x)), 1, 2, 3, 4);
    AllClose.check("dX", new float[] {4, 6}, x.grad().storage(), EXACT, EXACT);
  }

  @Test
  void oneStepGivesALengthOneSequence() {
    Variable x = param("x", new float[] {1, 2}, 2, 1);
    Variable out = StackSteps.apply(new Tape(), List.of(x));
    assertEquals(Shape.of(2, 1, 1), out.shape());
    AllClose.check("out", new float[] {1, 2}, out.value().storage(), EXACT, EXACT);
  }

  @Test
  void skipsStepsThatNeedNoGradient() {
    Variable c = constant(new float[] {1}, 1, 1);
    Variable p = param("p", new float[] {2}, 1, 1);
    Tape tape = new Tape();
    backward(tape, StackSteps.apply(tape, List.of(c, p)), 3, 4);
    assertNull(c.grad());
    AllClose.check("dP", new float[] {4}, p.grad().storage(), EXACT, EXACT);
  }

  @Test
  void rejectsNoStepsAndStepsOfDifferentShapesNamingBoth() {
    assertThrowsWithMessage(IllegalArgumentException.class, () -> StackSteps.apply(new Tape(), List.of()),
        "no steps");
    assertThrowsWithMessage(IllegalArgumentException.class, () -> StackSteps.apply(new Tape(),
        List.of(param("a", new float[6], 2, 3), param("b", new float[6], 3, 2))), "[2, 3]", "[3, 2]");
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> StackSteps.apply(new Tape(), List.of(param("a", new float[2], 2))), "2-D", "[2]");
  }
}
