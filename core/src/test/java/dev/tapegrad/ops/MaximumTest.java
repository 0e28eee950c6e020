package dev.tapegrad.ops;

import static dev.tapegrad.testing.TestValues.assertThrowsWithMessage;
import static dev.tapegrad.testing.TestValues.backward;
import static dev.tapegrad.testing.TestValues.param;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.tensor.AllClose;
import dev.tapegrad.tensor.Shape;
import org.junit.jupiter.api.Test;

class MaximumTest {

  @Test
  void gradientGoesToTheLargerAndIsHalvedOnTies() {
    // a = [1, 5, 3], b = [2, 5, 0]: max = [2, 5, 3]; the tie at index 1 gives half of dOut = 4 to each
    Variable a = param("a", new float[] {1, 5, 3}, 3);
    Variable b = param("b", new float[] {2, 5, 0}, 3);
    Tape tape = new Tape();
    Variable out = Maximum.apply(tape, a, b);
    AllClose.check("max", new float[] {2, 5, 3}, out.value().data(), 0, 0);
    backward(tape, out, 1, 4, 1);
    AllClose.check("dA", new float[] {0, 2, 1}, a.grad().data(), 0, 0);
    AllClose.check("dB", new float[] {1, 2, 0}, b.grad().data(), 0, 0);
  }

  @Test
  void minimumTakesTheSmallerAndSumsOverTheBroadcastOperand() {
    // a (2, 2) = [[1, 4], [3, 0]], b (2) = [2, 2]: min = [[1, 2], [2, 0]]; b's column gradients summed over rows
    Variable a = param("a", new float[] {1, 4, 3, 0}, 2, 2);
    Variable b = param("b", new float[] {2, 2}, 2);
    Tape tape = new Tape();
    Variable out = Minimum.apply(tape, a, b);
    assertEquals(Shape.of(2, 2), out.shape());
    AllClose.check("min", new float[] {1, 2, 2, 0}, out.value().data(), 0, 0);
    backward(tape, out, 1, 1, 1, 1);
    AllClose.check("dA", new float[] {1, 0, 0, 1}, a.grad().data(), 0, 0);
    AllClose.check("dB", new float[] {1, 1}, b.grad().data(), 0, 0);
  }

  @Test
  void aNanInEitherOperandGivesNan() {
    Variable out = Maximum.apply(new Tape(), param("a", new float[] {Float.NaN, 1}, 2),
        param("b", new float[] {0, Float.NaN}, 2));
    assertTrue(Float.isNaN(out.value().data()[0]) && Float.isNaN(out.value().data()[1]));
  }

  @Test
  void rejectsShapesThatDoNotBroadcast() {
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Maximum.apply(new Tape(),
        param("a", new float[6], 2, 3), param("b", new float[2], 2)), "Maximum", "[2, 3]", "[2]");
  }
}
