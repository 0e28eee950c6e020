package dev.tapegrad.ops;

import static dev.tapegrad.testing.TestValues.assertThrowsWithMessage;
import static dev.tapegrad.testing.TestValues.backward;
import static dev.tapegrad.testing.TestValues.param;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.tensor.AllClose;
import dev.tapegrad.tensor.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;

class StackTest {

  private static final double EXACT = 0;

  @Test
  void stacksAlongANewFirstOrLastDimension() {
    // a = [1, 2], b = [3, 4]: stack along 0 is [[1, 2], [3, 4]], along −1 is [[1, 3], [2, 4]]
    Variable a = param("a", new float[] {1, 2}, 2);
    Variable b = param("b", new float[] {3, 4}, 2);
    Variable rows = Stack.apply(new Tape(), List.of(a, b), 0);
    assertEquals(Shape.of(2, 2), rows.shape());
    AllClose.check("rows", new float[] {1, 2, 3, 4}, rows.value().data(), EXACT, EXACT);
    AllClose.check("cols", new float[] {1, 3, 2, 4}, Stack.apply(new Tape(), List.of(a, b), -1).value().data(), EXACT,
        EXACT);
  }

  @Test
  void eachTensorReceivesItsSliceOfTheGradient() {
    // stack along 1 of two (2, 1): out[i, t, 0] = x_t[i, 0]; dOut = [[[1], [2]], [[3], [4]]]
    Variable a = param("a", new float[] {1, 2}, 2, 1);
    Variable b = param("b", new float[] {3, 4}, 2, 1);
    Tape tape = new Tape();
    Variable out = Stack.apply(tape, List.of(a, b), 1);
    assertEquals(Shape.of(2, 2, 1), out.shape());
    backward(tape, out, 1, 2, 3, 4);
    AllClose.check("dA", new float[] {1, 3}, a.grad().data(), EXACT, EXACT);
    AllClose.check("dB", new float[] {2, 4}, b.grad().data(), EXACT, EXACT);
  }

  @Test
  void rejectsDifferentShapesAndADimensionOutOfRange() {
    Variable a = param("a", new float[2], 2);
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> Stack.apply(new Tape(), List.of(a, param("b", new float[3], 3)), 0), "Stack", "[2]", "[3]");
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Stack.apply(new Tape(), List.of(a), 2), "Stack",
        "dimension 2", "[2]");
  }
}
