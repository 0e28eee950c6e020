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
import org.junit.jupiter.api.Test;

class ConcatColumnsTest {

  private static final double EXACT = 0;

  @Test
  void placesTheBlocksSideBySide() {
    // [[1], [2]] | [[3, 4], [5, 6]] = [[1, 3, 4], [2, 5, 6]]
    Variable out = ConcatColumns.apply(new Tape(), param("a", new float[] {1, 2}, 2, 1),
        param("b", new float[] {3, 4, 5, 6}, 2, 2));
    assertEquals(Shape.of(2, 3), out.shape());
    AllClose.check("out", new float[] {1, 3, 4, 2, 5, 6}, out.value().storage(), EXACT, EXACT);
  }

  @Test
  void backwardGivesEachInputItsOwnColumns() {
    // dOut = [[10, 20, 30], [40, 50, 60]]: dA = [[10], [40]], dB = [[20, 30], [50, 60]]
    Variable a = param("a", new float[] {1, 2}, 2, 1);
    Variable b = param("b", new float[] {3, 4, 5, 6}, 2, 2);
    Tape tape = new Tape();
    backward(tape, ConcatColumns.apply(tape, a, b), 10, 20, 30, 40, 50, 60);
    AllClose.check("dA", new float[] {10, 40}, a.grad().storage(), EXACT, EXACT);
    AllClose.check("dB", new float[] {20, 30, 50, 60}, b.grad().storage(), EXACT, EXACT);
  }

  @Test
  void backwardAccumulatesWhenInputIsUsedTwice() {
    // [x | x] for x = [[1, 2]] is [[1, 2, 1, 2]]; dOut = [[1, 2, 3, 4]] gives dX = [[1 + 3, 2 + 4]]
    Variable x = param("x", new float[] {1, 2}, 1, 2);
    Tape tape = new Tape();
    Variable out = ConcatColumns.apply(tape, x, x);
    AllClose.check("out", new float[] {1, 2, 1, 2}, out.value().storage(), EXACT, EXACT);
    backward(tape, out, 1, 2, 3, 4);
    AllClose.check("dX", new float[] {4, 6}, x.grad().storage(), EXACT, EXACT);
  }

  @Test
  void skipsTheGradientOfAConstantBlock() {
    Variable a = constant(new float[] {1}, 1, 1);
    Variable b = param("b", new float[] {2}, 1, 1);
    Tape tape = new Tape();
    backward(tape, ConcatColumns.apply(tape, a, b), 5, 7);
    assertNull(a.grad());
    AllClose.check("dB", new float[] {7}, b.grad().storage(), EXACT, EXACT);
  }

  @Test
  void rejectsMismatchedShapesWithBothShapesInMessage() {
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> ConcatColumns.apply(new Tape(), param("a", new float[6], 2, 3), param("b", new float[6], 3, 2)),
        "ConcatColumns", "[2, 3]", "[3, 2]");
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> ConcatColumns.apply(new Tape(), param("a", new float[2], 2), param("b", new float[2], 2, 1)),
        "ConcatColumns", "[2]", "[2, 1]");
  }
}
