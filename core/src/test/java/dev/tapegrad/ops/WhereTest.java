package dev.tapegrad.ops;

import static dev.tapegrad.testing.TestValues.assertThrowsWithMessage;
import static dev.tapegrad.testing.TestValues.backward;
import static dev.tapegrad.testing.TestValues.constant;
import static dev.tapegrad.testing.TestValues.param;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.tensor.AllClose;
import dev.tapegrad.tensor.Shape;
import org.junit.jupiter.api.Test;

class WhereTest {

  @Test
  void choosesPerElementWithAllThreeBroadcast() {
    // cond (2, 1) = [[1], [0]], a (3) = [1, 2, 3], b () = 9: row 0 takes a, row 1 takes b
    Variable a = param("a", new float[] {1, 2, 3}, 3);
    Variable b = param("b", new float[] {9});
    Tape tape = new Tape();
    Variable out = Where.apply(tape, constant(new float[] {1, 0}, 2, 1), a, b);
    assertEquals(Shape.of(2, 3), out.shape());
    AllClose.check("where", new float[] {1, 2, 3, 9, 9, 9}, out.value().data(), 0, 0);
    // a receives row 0's gradients; b, read for all of row 1, their sum
    backward(tape, out, 1, 2, 3, 4, 5, 6);
    AllClose.check("dA", new float[] {1, 2, 3}, a.grad().data(), 0, 0);
    AllClose.check("dB", new float[] {15}, b.grad().data(), 0, 0);
  }

  @Test
  void anyNonzeroConditionIsTrue() {
    Variable out = Where.apply(new Tape(), constant(new float[] {-2, 0, Float.NaN}, 3), constant(new float[] {1, 1, 1},
        3), constant(new float[] {0, 0, 0}, 3));
    AllClose.check("where", new float[] {1, 0, 1}, out.value().data(), 0, 0);
  }

  @Test
  void rejectsShapesThatDoNotBroadcast() {
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Where.apply(new Tape(), constant(new float[2], 2),
        constant(new float[3], 3), constant(new float[1], 1)), "Where", "[2]", "[3]");
  }
}
