package dev.tapegrad.ops;

import static dev.tapegrad.testing.TestValues.backward;
import static dev.tapegrad.testing.TestValues.param;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.tensor.AllClose;
import org.junit.jupiter.api.Test;

class StdTest {

  @Test
  void isTheSquareRootOfTheVariance() {
    // [2, 4, 4, 4, 5, 5, 7, 9]: mean 5, Σ(x − 5)² = 32 → σ = 2 with correction 0, √(32/7) with 1
    Variable x = param("x", new float[] {2, 4, 4, 4, 5, 5, 7, 9}, 8);
    assertEquals(2f, Std.apply(new Tape(), x, new int[] {0}, 0, false).value().item(), 1e-6);
    assertEquals((float) Math.sqrt(32.0 / 7), Std.apply(new Tape(), x).value().item(), 1e-6);
  }

  @Test
  void gradientIsTheCentredInputOverDivisorTimesSigma() {
    // [1, 3], correction 0: σ = 1, dX = dOut (x − 2) / (2 · 1) = [−0.5, 0.5] for dOut = 1
    Variable x = param("x", new float[] {1, 3}, 2);
    Tape tape = new Tape();
    backward(tape, Std.apply(tape, x, new int[] {0}, 0, false), 1f);
    AllClose.check("dX", new float[] {-0.5f, 0.5f}, x.grad().data(), 1e-6, 1e-7);
  }

  @Test
  void gradientIsZeroWhereEveryElementIsEqual() {
    // σ = 0: PyTorch masks the 0/0 to 0
    Variable x = param("x", new float[] {2, 2, 2}, 3);
    Tape tape = new Tape();
    backward(tape, Std.apply(tape, x), 1f);
    AllClose.check("dX", new float[] {0, 0, 0}, x.grad().data(), 0, 0);
  }
}
