package dev.tapegrad.ops;

import static dev.tapegrad.testing.TestValues.backward;
import static dev.tapegrad.testing.TestValues.param;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.tensor.AllClose;
import dev.tapegrad.tensor.Shape;
import org.junit.jupiter.api.Test;

class LogSumExpTest {

  @Test
  void isTheLogOfTheSumOfExponentials() {
    // rows [0, ln 3] → ln(1 + 3) = ln 4; [1, 1] → 1 + ln 2
    Variable x = param("x", new float[] {0, (float) Math.log(3), 1, 1}, 2, 2);
    Variable out = LogSumExp.apply(new Tape(), x, new int[] {-1}, true);
    assertEquals(Shape.of(2, 1), out.shape());
    AllClose.check("logsumexp", new float[] {(float) Math.log(4), (float) (1 + Math.log(2))}, out.value().data(),
        1e-6, 1e-7);
  }

  @Test
  void largeInputsDoNotOverflow() {
    // ln(e^1000 + e^1000) = 1000 + ln 2; −∞ alone stays −∞, +∞ gives +∞
    Variable x = param("x", new float[] {1000, 1000, Float.NEGATIVE_INFINITY, Float.NEGATIVE_INFINITY,
        Float.POSITIVE_INFINITY, 0}, 3, 2);
    Variable out = LogSumExp.apply(new Tape(), x, new int[] {1}, false);
    assertEquals((float) (1000 + Math.log(2)), out.value().data()[0], 1e-3f);
    assertEquals(Float.NEGATIVE_INFINITY, out.value().data()[1]);
    assertEquals(Float.POSITIVE_INFINITY, out.value().data()[2]);
  }

  @Test
  void gradientIsTheSoftmaxOfTheReduction() {
    // x = [0, ln 3]: softmax = [1/4, 3/4], times dOut = 2
    Variable x = param("x", new float[] {0, (float) Math.log(3)}, 2);
    Tape tape = new Tape();
    backward(tape, LogSumExp.apply(tape, x, new int[0], false), 2f);
    AllClose.check("dX", new float[] {0.5f, 1.5f}, x.grad().data(), 1e-6, 1e-7);
  }
}
