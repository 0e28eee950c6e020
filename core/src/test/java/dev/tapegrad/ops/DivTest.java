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

class DivTest {

  @Test
  void dividesElementwiseWithBothDerivatives() {
    // out = a / b  ⇒  dA = dOut / b, dB = −dOut · a / b²
    Variable a = param("a", new float[] {1, 6}, 2);
    Variable b = param("b", new float[] {2, 3}, 2);
    Tape tape = new Tape();
    Variable out = Div.apply(tape, a, b);
    AllClose.check("out", new float[] {0.5f, 2}, out.value().storage(), 0, 0);
    backward(tape, out, 1, 3);
    AllClose.check("dA", new float[] {0.5f, 1}, a.grad().storage(), 1e-7, 0);
    // −1 · 1 / 4 = −0.25;  −3 · 6 / 9 = −2
    AllClose.check("dB", new float[] {-0.25f, -2}, b.grad().storage(), 1e-7, 0);
  }

  @Test
  void broadcastsAColumnDenominatorAndSumsItsGradient() {
    // [[2, 4], [6, 8]] / [[2], [4]] = [[1, 2], [1.5, 2]]
    Variable a = param("a", new float[] {2, 4, 6, 8}, 2, 2);
    Variable b = param("b", new float[] {2, 4}, 2, 1);
    Tape tape = new Tape();
    Variable out = Div.apply(tape, a, b);
    AllClose.check("out", new float[] {1, 2, 1.5f, 2}, out.value().storage(), 0, 0);
    backward(tape, out, 1, 1, 1, 1);
    // dB[r] = −Σ_j a[r, j] / b[r]²: −(2 + 4)/4 = −1.5, −(6 + 8)/16 = −0.875
    AllClose.check("dB", new float[] {-1.5f, -0.875f}, b.grad().storage(), 1e-7, 0);
  }

  @Test
  void aConstantNumeratorOrDenominatorIsARankZeroScalar() {
    Variable x = param("x", new float[] {2, 4}, 2);
    Tape tape = new Tape();
    Variable reciprocal = Div.apply(tape, 1f, x);
    assertEquals(Shape.of(2), reciprocal.shape());
    AllClose.check("1 / x", new float[] {0.5f, 0.25f}, reciprocal.value().storage(), 0, 0);
    AllClose.check("x / 2", new float[] {1, 2}, Div.apply(tape, x, 2f).value().storage(), 0, 0);
    backward(tape, reciprocal, 1, 1);
    // d(1/x)/dx = −1/x²
    AllClose.check("dX", new float[] {-0.25f, -0.0625f}, x.grad().storage(), 0, 0);
  }

  @Test
  void rejectsShapesThatDoNotBroadcastNamingBoth() {
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> Div.apply(new Tape(), param("a", new float[6], 2, 3), param("b", new float[2], 2)), "Div", "[2, 3]",
        "[2]");
  }
}
