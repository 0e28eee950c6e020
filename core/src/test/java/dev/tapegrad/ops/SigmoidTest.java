package dev.tapegrad.ops;

import static dev.tapegrad.testing.TestValues.backward;
import static dev.tapegrad.testing.TestValues.param;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.tensor.AllClose;
import org.junit.jupiter.api.Test;

class SigmoidTest {

  private static final float LN3 = (float) Math.log(3);

  @Test
  void computesTheLogisticFunction() {
    // σ(0) = 1/2; σ(ln 3) = 1 / (1 + 1/3) = 3/4; σ(−ln 3) = 1 / (1 + 3) = 1/4
    Variable out = Sigmoid.apply(new Tape(), param("x", new float[] {0, LN3, -LN3}, 3));
    AllClose.check("y", new float[] {0.5f, 0.75f, 0.25f}, out.value().storage(), 1e-6, 1e-7);
  }

  @Test
  void backwardIsOutputTimesOneMinusOutput() {
    // σ' = y (1 − y) = [1/4, 3/16, 3/16]; dOut = [1, 2, 4] gives [0.25, 0.375, 0.75]
    Variable x = param("x", new float[] {0, LN3, -LN3}, 3);
    Tape tape = new Tape();
    backward(tape, Sigmoid.apply(tape, x), 1, 2, 4);
    AllClose.check("dX", new float[] {0.25f, 0.375f, 0.75f}, x.grad().storage(), 1e-6, 1e-7);
  }

  @Test
  void staysFiniteForLargeMagnitudes() {
    // σ(±1000) is 0 or 1 exactly in float, where the derivative y (1 − y) is 0
    Variable x = param("x", new float[] {-1000, 1000, -88, 88}, 4);
    Tape tape = new Tape();
    Variable y = Sigmoid.apply(tape, x);
    assertTrue(y.value().isFinite());
    AllClose.check("y", new float[] {0, 1, 0, 1}, y.value().storage(), 0, 1e-30);
    backward(tape, y, 1, 1, 1, 1);
    assertTrue(x.grad().isFinite());
    AllClose.check("dX", new float[] {0, 0, 0, 0}, x.grad().storage(), 0, 1e-30);
  }

  @Test
  void backwardAccumulatesWhenInputIsUsedTwice() {
    // out = σ(x) ⊙ x at x = 0: d/dx = σ'(0)·x + σ(0) = 0 + 1/2
    Variable x = param("x", new float[] {0}, 1);
    Tape tape = new Tape();
    backward(tape, Mul.apply(tape, Sigmoid.apply(tape, x), x), 1);
    AllClose.check("dX", new float[] {0.5f}, x.grad().storage(), 0, 0);
  }
}
