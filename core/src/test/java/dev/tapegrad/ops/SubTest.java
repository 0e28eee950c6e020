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
import org.junit.jupiter.api.Test;

class SubTest {

  private static final double EXACT = 0;

  @Test
  void subtractsElementwise() {
    // [[5, 7], [9, 11]] − [[1, 2], [3, 4]] = [[4, 5], [6, 7]]
    Variable a = param("a", new float[] {5, 7, 9, 11}, 2, 2);
    Variable b = param("b", new float[] {1, 2, 3, 4}, 2, 2);
    Variable out = Sub.apply(new Tape(), a, b);
    AllClose.check("out", new float[] {4, 5, 6, 7}, out.value().storage(), EXACT, EXACT);
  }

  @Test
  void broadcastsAOneDimensionalSubtrahendOverRows() {
    // [[1, 2], [3, 4]] − [10, 20] = [[−9, −18], [−7, −16]]
    Variable a = param("a", new float[] {1, 2, 3, 4}, 2, 2);
    Variable b = param("b", new float[] {10, 20}, 2);
    Variable out = Sub.apply(new Tape(), a, b);
    AllClose.check("out", new float[] {-9, -18, -7, -16}, out.value().storage(), EXACT, EXACT);
  }

  @Test
  void backwardNegatesTheSubtrahendGradient() {
    // out = a − b  ⇒  dA = dOut, dB = −dOut
    Variable a = param("a", new float[4], 2, 2);
    Variable b = param("b", new float[4], 2, 2);
    Tape tape = new Tape();
    backward(tape, Sub.apply(tape, a, b), 1, 2, 3, 4);
    AllClose.check("dA", new float[] {1, 2, 3, 4}, a.grad().storage(), EXACT, EXACT);
    AllClose.check("dB", new float[] {-1, -2, -3, -4}, b.grad().storage(), EXACT, EXACT);
  }

  @Test
  void broadcastSubtrahendGradientIsMinusTheRowSum() {
    // dOut = [[1, 2], [3, 4]]  ⇒  dB = −[1 + 3, 2 + 4] = [−4, −6]
    Variable a = param("a", new float[4], 2, 2);
    Variable b = param("b", new float[2], 2);
    Tape tape = new Tape();
    backward(tape, Sub.apply(tape, a, b), 1, 2, 3, 4);
    AllClose.check("dB", new float[] {-4, -6}, b.grad().storage(), EXACT, EXACT);
  }

  @Test
  void backwardAccumulatesWhenInputIsUsedTwice() {
    // out = x − x = 0  ⇒  dX = dOut − dOut = 0
    Variable x = param("x", new float[] {5, 7}, 2);
    Tape tape = new Tape();
    Variable out = Sub.apply(tape, x, x);
    AllClose.check("out", new float[] {0, 0}, out.value().storage(), EXACT, EXACT);
    backward(tape, out, 1, 3);
    AllClose.check("dX", new float[] {0, 0}, x.grad().storage(), EXACT, EXACT);
  }

  @Test
  void skipsTheGradientOfAConstantOperand() {
    Variable c = constant(new float[] {1, 2}, 2);
    Variable b = param("b", new float[] {3, 4}, 2);
    Tape tape = new Tape();
    backward(tape, Sub.apply(tape, c, b), 1, 1);
    AllClose.check("dB", new float[] {-1, -1}, b.grad().storage(), EXACT, EXACT);
    assertNull(c.grad());
  }

  @Test
  void rejectsMismatchedShapesWithBothShapesInMessage() {
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> Sub.apply(new Tape(), param("a", new float[6], 2, 3), param("b", new float[6], 3, 2)), "Sub", "[2, 3]",
        "[3, 2]");
  }

  @Test
  void broadcastsTheFirstOperandAndNegatesTheSecondsGradient() {
    // 10 − [[1, 2], [3, 4]]: the scalar's gradient is the sum of dOut, the matrix's −dOut
    Variable x = param("x", new float[] {1, 2, 3, 4}, 2, 2);
    Tape tape = new Tape();
    Variable ten = param("ten", new float[] {10}, 1);
    Variable out = Sub.apply(tape, ten, x);
    AllClose.check("out", new float[] {9, 8, 7, 6}, out.value().storage(), 0, 0);
    backward(tape, out, 1, 2, 3, 4);
    assertEquals(10f, ten.grad().item());
    AllClose.check("dX", new float[] {-1, -2, -3, -4}, x.grad().storage(), 0, 0);
    AllClose.check("1 − x", new float[] {0, -1, -2, -3}, Sub.apply(new Tape(), 1f, x).value().storage(), 0, 0);
  }
}
