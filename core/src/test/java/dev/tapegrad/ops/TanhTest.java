package dev.tapegrad.ops;

import static dev.tapegrad.testing.TestValues.backward;
import static dev.tapegrad.testing.TestValues.param;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.tensor.AllClose;
import org.junit.jupiter.api.Test;

class TanhTest {

  private static final float LN2 = (float) Math.log(2);

  @Test
  void computesTheHyperbolicTangent() {
    // tanh(ln 2) = (2 − 1/2) / (2 + 1/2) = 3/5; tanh is odd
    Variable out = Tanh.apply(new Tape(), param("x", new float[] {0, LN2, -LN2}, 3));
    AllClose.check("y", new float[] {0, 0.6f, -0.6f}, out.value().storage(), 1e-6, 1e-7);
  }

  @Test
  void backwardIsOneMinusOutputSquared() {
    // 1 − y² = [1, 1 − 0.36, 1 − 0.36] = [1, 0.64, 0.64]; dOut = [1, 2, 3] gives [1, 1.28, 1.92]
    Variable x = param("x", new float[] {0, LN2, -LN2}, 3);
    Tape tape = new Tape();
    backward(tape, Tanh.apply(tape, x), 1, 2, 3);
    AllClose.check("dX", new float[] {1, 1.28f, 1.92f}, x.grad().storage(), 1e-6, 1e-7);
  }

  @Test
  void saturatesFinitelyForLargeMagnitudes() {
    Variable x = param("x", new float[] {-50, 50}, 2);
    Tape tape = new Tape();
    Variable y = Tanh.apply(tape, x);
    AllClose.check("y", new float[] {-1, 1}, y.value().storage(), 0, 0);
    backward(tape, y, 1, 1);
    assertTrue(x.grad().isFinite());
    AllClose.check("dX", new float[] {0, 0}, x.grad().storage(), 0, 0);
  }

  @Test
  void backwardAccumulatesWhenInputIsUsedTwice() {
    // out = x + tanh(x)  ⇒  dX = 1 + (1 − tanh²(x)); at x = ln 2 that is 1 + 0.64 = 1.64
    Variable x = param("x", new float[] {LN2}, 1);
    Tape tape = new Tape();
    backward(tape, Add.apply(tape, x, Tanh.apply(tape, x)), 1);
    AllClose.check("dX", new float[] {1.64f}, x.grad().storage(), 1e-6, 1e-7);
  }
}
