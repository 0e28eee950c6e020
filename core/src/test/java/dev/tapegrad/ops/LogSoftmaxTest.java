package dev.tapegrad.ops;

import static dev.tapegrad.testing.TestValues.assertThrowsWithMessage;
import static dev.tapegrad.testing.TestValues.backward;
import static dev.tapegrad.testing.TestValues.param;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.tensor.AllClose;
import dev.tapegrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** LogSoftmax over the last dimension, by hand. */
class LogSoftmaxTest {

  @Test
  void logSoftmaxIsTheLogOfTheSoftmaxEvenForHugeInputs() {
    // [0, ln 3] → [ln 1/4, ln 3/4]; shifted by 1e4 the same, where log(softmax) in float would lose it
    float ln3 = (float) Math.log(3);
    Variable x = param("x", new float[] {0, ln3, 1e4f, 1e4f + ln3}, 2, 2);
    Variable y = LogSoftmax.apply(new Tape(), x);
    double a = Math.log(0.25);
    double b = Math.log(0.75);
    AllClose.check("y", new double[] {a, b, a, b}, y.value().storage(), 1e-3, 1e-6);
  }

  @Test
  void logSoftmaxBackwardSubtractsTheSoftmaxTimesTheGradientSum() {
    // dX = dY − softmax · Σ dY: dY = [1, 2], softmax [1/4, 3/4]: [1 − 3/4, 2 − 9/4] = [0.25, −0.25]
    Variable x = param("x", new float[] {0, (float) Math.log(3)}, 2);
    Tape tape = new Tape();
    backward(tape, LogSoftmax.apply(tape, x), 1, 2);
    AllClose.check("dX", new float[] {0.25f, -0.25f}, x.grad().storage(), 1e-6, 1e-7);
  }

  @Test
  void refusesAScalar() {
    Variable s = Variable.parameter("s", Tensor.scalar(1f));
    assertThrowsWithMessage(IllegalArgumentException.class, () -> LogSoftmax.apply(new Tape(), s), "LogSoftmax", "[]");
  }
}
