package dev.tapegrad.ops;

import static dev.tapegrad.testing.TestValues.assertThrowsWithMessage;
import static dev.tapegrad.testing.TestValues.backward;
import static dev.tapegrad.testing.TestValues.constant;
import static dev.tapegrad.testing.TestValues.param;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.tensor.AllClose;
import dev.tapegrad.tensor.Shape;
import org.junit.jupiter.api.Test;

class AddTest {

  private static final double EXACT = 0;

  @Test
  void addsElementwise() {
    Variable a = param("a", new float[] {1, 2, 3, 4}, 2, 2);
    Variable b = param("b", new float[] {10, 20, 30, 40}, 2, 2);
    Variable out = Add.apply(new Tape(), a, b);
    assertEquals(Shape.of(2, 2), out.shape());
    AllClose.check("out", new float[] {11, 22, 33, 44}, out.value().storage(), EXACT, EXACT);
  }

  @Test
  void broadcastsAOneDimensionalSecondOperandOverRows() {
    // [[1, 2, 3], [4, 5, 6]] + [10, 20, 30]
    Variable a = param("a", new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
    Variable b = param("b", new float[] {10, 20, 30}, 3);
    Variable out = Add.apply(new Tape(), a, b);
    AllClose.check("out", new float[] {11, 22, 33, 14, 25, 36}, out.value().storage(), EXACT, EXACT);
  }

  @Test
  void backwardPassesTheOutputGradientToBothOperands() {
    // out = a + b  ⇒  dA = dOut, dB = dOut
    Variable a = param("a", new float[] {1, 2, 3, 4}, 2, 2);
    Variable b = param("b", new float[] {10, 20, 30, 40}, 2, 2);
    Tape tape = new Tape();
    backward(tape, Add.apply(tape, a, b), 1, 2, 3, 4);
    AllClose.check("dA", new float[] {1, 2, 3, 4}, a.grad().storage(), EXACT, EXACT);
    AllClose.check("dB", new float[] {1, 2, 3, 4}, b.grad().storage(), EXACT, EXACT);
  }

  @Test
  void broadcastOperandGradientSumsTheRows() {
    // dOut = [[1, 2, 3], [4, 5, 6]]  ⇒  dB = [1 + 4, 2 + 5, 3 + 6] = [5, 7, 9]
    Variable a = param("a", new float[6], 2, 3);
    Variable b = param("b", new float[3], 3);
    Tape tape = new Tape();
    backward(tape, Add.apply(tape, a, b), 1, 2, 3, 4, 5, 6);
    AllClose.check("dA", new float[] {1, 2, 3, 4, 5, 6}, a.grad().storage(), EXACT, EXACT);
    AllClose.check("dB", new float[] {5, 7, 9}, b.grad().storage(), EXACT, EXACT);
  }

  @Test
  void backwardAccumulatesWhenInputIsUsedTwice() {
    // out = x + x  ⇒  dX = dOut + dOut = [2, 6] for dOut = [1, 3]
    Variable x = param("x", new float[] {5, 7}, 2);
    Tape tape = new Tape();
    Variable out = Add.apply(tape, x, x);
    AllClose.check("out", new float[] {10, 14}, out.value().storage(), EXACT, EXACT);
    backward(tape, out, 1, 3);
    AllClose.check("dX", new float[] {2, 6}, x.grad().storage(), EXACT, EXACT);
  }

  @Test
  void skipsTheGradientOfAConstantOperand() {
    Variable a = param("a", new float[] {1, 2}, 2);
    Variable c = constant(new float[] {3, 4}, 2);
    Tape tape = new Tape();
    backward(tape, Add.apply(tape, a, c), 1, 1);
    AllClose.check("dA", new float[] {1, 1}, a.grad().storage(), EXACT, EXACT);
    assertNull(c.grad());
  }

  @Test
  void recordsNothingWhenNoOperandNeedsAGradient() {
    Tape tape = new Tape();
    Variable out = Add.apply(tape, constant(new float[] {1}, 1), constant(new float[] {2}, 1));
    assertFalse(out.requiresGrad());
    assertTrue(tape.entries().isEmpty());
    assertEquals(3f, out.value().item());
  }

  @Test
  void rejectsMismatchedShapesWithBothShapesInMessage() {
    Variable a = param("a", new float[6], 2, 3);
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> Add.apply(new Tape(), a, param("b", new float[6], 3, 2)), "Add", "[2, 3]", "[3, 2]");
    // a 1-D second operand must be as long as a row
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> Add.apply(new Tape(), a, param("b", new float[2], 2)), "Add", "[2, 3]", "[2]");
  }

  @Test
  void broadcastsEitherOperandAndSumsItsGradientOverTheBroadcastDimensions() {
    // a column (2, 1) plus a row (3): (2, 3); [[1], [2]] + [10, 20, 30]
    Variable column = param("column", new float[] {1, 2}, 2, 1);
    Variable row = param("row", new float[] {10, 20, 30}, 3);
    Tape tape = new Tape();
    Variable out = Add.apply(tape, row, column);
    assertEquals(Shape.of(2, 3), out.shape());
    AllClose.check("out", new float[] {11, 21, 31, 12, 22, 32}, out.value().storage(), EXACT, EXACT);
    backward(tape, out, 1, 2, 3, 4, 5, 6);
    // the row's gradient sums the rows, the column's the columns
    AllClose.check("dRow", new float[] {5, 7, 9}, row.grad().storage(), EXACT, EXACT);
    AllClose.check("dColumn", new float[] {6, 15}, column.grad().storage(), EXACT, EXACT);
  }

  @Test
  void scalarsOfRankZeroAndOneMixWithAnyShape() {
    // a rank-0 sum plus a [1] tensor is [1]; a [1] against [1, 8] is [1, 8]
    Variable x = param("x", new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 1, 8);
    Tape tape = new Tape();
    Variable s = Sum.apply(tape, x);
    Variable one = param("one", new float[] {1}, 1);
    Variable both = Add.apply(tape, s, one);
    assertEquals(Shape.of(1), both.shape());
    assertEquals(37f, both.value().item());
    Variable shifted = Add.apply(tape, one, x);
    assertEquals(Shape.of(1, 8), shifted.shape());
    Variable plusTwo = Add.apply(tape, x, 2f);
    AllClose.check("x + 2", new float[] {3, 4, 5, 6, 7, 8, 9, 10}, plusTwo.value().storage(), EXACT, EXACT);
    backward(tape, shifted, 1, 1, 1, 1, 1, 1, 1, 1);
    assertEquals(8f, one.grad().item(), "the [1] operand was read 8 times");
  }
}
