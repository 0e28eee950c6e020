package dev.tapegrad.ops;

import static dev.tapegrad.testing.TestValues.assertThrowsWithMessage;
import static dev.tapegrad.testing.TestValues.backward;
import static dev.tapegrad.testing.TestValues.param;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.tensor.AllClose;
import dev.tapegrad.tensor.Shape;
import org.junit.jupiter.api.Test;

class SelectTest {

  private static final double EXACT = 0;

  @Test
  void takesOnePositionAndDropsTheDimension() {
    // x[:, 1] of [[1, 2, 3], [4, 5, 6]] is [2, 5]; the gradient goes back to column 1
    Variable x = param("x", new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
    Tape tape = new Tape();
    Variable out = Select.apply(tape, x, 1, 1);
    assertEquals(Shape.of(2), out.shape());
    AllClose.check("out", new float[] {2, 5}, out.value().data(), EXACT, EXACT);
    backward(tape, out, 7, 8);
    AllClose.check("dX", new float[] {0, 7, 0, 0, 8, 0}, x.grad().data(), EXACT, EXACT);
  }

  @Test
  void negativeIndexCountsFromTheEndAndAVectorGivesAScalar() {
    Variable out = Select.apply(new Tape(), param("v", new float[] {4, 5, 6}, 3), 0, -1);
    assertEquals(Shape.of(), out.shape());
    assertEquals(6f, out.value().item());
  }

  @Test
  void rejectsAnIndexOutOfRangeNamingTheShape() {
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> Select.apply(new Tape(), param("x", new float[6], 2, 3), 0, 2), "Select", "index 2", "[2, 3]");
  }
}
