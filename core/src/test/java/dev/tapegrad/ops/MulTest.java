package dev.tapegrad.ops;

import static dev.tapegrad.testing.TestValues.assertThrowsWithMessage;
import static dev.tapegrad.testing.TestValues.backward;
import static dev.tapegrad.testing.TestValues.constant;
import static dev.tapegrad.testing.TestValues.param;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.tensor.AllClose;
import org.junit.jupiter.api.Test;

class MulTest {

  private static final double EXACT = 0;

  @Test
  void multipliesElementwise() {
    // [[1, 2], [3, 4]] ⊙ [[5, 6], [7, 8]] = [[5, 12], [21, 32]]
    Variable a = param("a", new float[] {1, 2, 3, 4}, 2, 2);
    Variable b = param("b", new float[] {5, 6, 7, 8}, 2, 2);
    Variable out = Mul.apply(new Tape(), a, b);
    AllClose.check("out", new float[] {5, 12, 21, 32}, out.value().storage(), EXACT, EXACT);
  }

  @Test
  void backwardMultipliesByTheOtherFactor() {
    // out = a ⊙ b, dOut = [[1, 2], [3, 4]]:
    //   dA = dOut ⊙ b = [[1·5, 2·6], [3·7, 4·8]] = [[5, 12], [21, 32]]
    //   dB = dOut ⊙ a = [[1·1, 2·2], [3·3, 4·4]] = [[1, 4], [9, 16]]
    Variable a = param("a", new float[] {1, 2, 3, 4}, 2, 2);
    Variable b = param("b", new float[] {5, 6, 7, 8}, 2, 2);
    Tape tape = new Tape();
    backward(tape, Mul.apply(tape, a, b), 1, 2, 3, 4);
    AllClose.check("dA", new float[] {5, 12, 21, 32}, a.grad().storage(), EXACT, EXACT);
    AllClose.check("dB", new float[] {1, 4, 9, 16}, b.grad().storage(), EXACT, EXACT);
  }

  @Test
  void broadcastsAOneDimensionalFactorAndSumsItsGradientOverRows() {
    // [[1, 2], [3, 4]] ⊙ [10, 100] = [[10, 200], [30, 400]]
    // dOut = 1: dA = [[10, 100], [10, 100]]; dB = [1 + 3, 2 + 4] = [4, 6]
    Variable a = param("a", new float[] {1, 2, 3, 4}, 2, 2);
    Variable b = param("b", new float[] {10, 100}, 2);
    Tape tape = new Tape();
    Variable out = Mul.apply(tape, a, b);
    AllClose.check("out", new float[] {10, 200, 30, 400}, out.value().storage(), EXACT, EXACT);
    backward(tape, out, 1, 1, 1, 1);
    AllClose.check("dA", new float[] {10, 100, 10, 100}, a.grad().storage(), EXACT, EXACT);
    AllClose.check("dB", new float[] {4, 6}, b.grad().storage(), EXACT, EXACT);
  }

  @Test
  void backwardAccumulatesWhenInputIsUsedTwice() {
    // out = x ⊙ x = [9, 4] for x = [3, −2]  ⇒  dX = dOut ⊙ x + dOut ⊙ x = 2x = [6, −4]
    Variable x = param("x", new float[] {3, -2}, 2);
    Tape tape = new Tape();
    Variable out = Mul.apply(tape, x, x);
    AllClose.check("out", new float[] {9, 4}, out.value().storage(), EXACT, EXACT);
    backward(tape, out, 1, 1);
    AllClose.check("dX", new float[] {6, -4}, x.grad().storage(), EXACT, EXACT);
  }

  @Test
  void skipsTheGradientOfAConstantFactor() {
    Variable a = param("a", new float[] {1, 2}, 2);
    Variable c = constant(new float[] {3, 4}, 2);
    Tape tape = new Tape();
    backward(tape, Mul.apply(tape, a, c), 1, 1);
    AllClose.check("dA", new float[] {3, 4}, a.grad().storage(), EXACT, EXACT);
    assertNull(c.grad());
  }

  @Test
  void rejectsMismatchedShapesWithBothShapesInMessage() {
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> Mul.apply(new Tape(), param("a", new float[6], 2, 3), param("b", new float[6], 3, 2)), "Mul", "[2, 3]",
        "[3, 2]");
  }

  @Test
  void broadcastsAColumnFactorAndSumsItsGradientOverTheColumns() {
    // [[1, 2], [3, 4]] ⊙ [[10], [100]]
    Variable x = param("x", new float[] {1, 2, 3, 4}, 2, 2);
    Variable c = param("c", new float[] {10, 100}, 2, 1);
    Tape tape = new Tape();
    Variable out = Mul.apply(tape, c, x);
    AllClose.check("out", new float[] {10, 20, 300, 400}, out.value().storage(), 0, 0);
    backward(tape, out, 1, 1, 1, 1);
    // dC[r] = Σ_j x[r, j], dX = c broadcast
    AllClose.check("dC", new float[] {3, 7}, c.grad().storage(), 0, 0);
    AllClose.check("dX", new float[] {10, 10, 100, 100}, x.grad().storage(), 0, 0);
    AllClose.check("2x", new float[] {2, 4, 6, 8}, Mul.apply(new Tape(), x, 2f).value().storage(), 0, 0);
  }
}
