package dev.tapegrad.ops;

import static dev.tapegrad.testing.TestValues.assertThrowsWithMessage;
import static dev.tapegrad.testing.TestValues.backward;
import static dev.tapegrad.testing.TestValues.param;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.tensor.AllClose;
import org.junit.jupiter.api.Test;

/** Softmax and LogSoftmax over the last dimension, by hand. */
class SoftmaxTest {

  @Test
  void softmaxNormalisesEachRowAndIgnoresAShift() {
    // rows [0, ln 3] and [1000, 1000 + ln 3]: both are [1/4, 3/4]
    float ln3 = (float) Math.log(3);
    Variable x = param("x", new float[] {0, ln3, 1000, 1000 + ln3}, 2, 2);
    Variable y = Softmax.apply(new Tape(), x);
    AllClose.check("y", new float[] {0.25f, 0.75f, 0.25f, 0.75f}, y.value().data(), 1e-4, 0);
  }

  @Test
  void softmaxBackwardIsYTimesTheCentredGradient() {
    // y = [1/4, 3/4], dY = [1, 0]: Σ dY y = 1/4, dX = y ⊙ (dY − 1/4) = [3/16, −3/16]
    Variable x = param("x", new float[] {0, (float) Math.log(3)}, 2);
    Tape tape = new Tape();
    backward(tape, Softmax.apply(tape, x), 1, 0);
    AllClose.check("dX", new float[] {0.1875f, -0.1875f}, x.grad().data(), 1e-6, 0);
  }

  @Test
  void logSoftmaxIsTheLogOfTheSoftmaxEvenForHugeInputs() {
    // [0, ln 3] → [ln 1/4, ln 3/4]; shifted by 1e4 the same, where log(softmax) in float would lose it
    float ln3 = (float) Math.log(3);
    Variable x = param("x", new float[] {0, ln3, 1e4f, 1e4f + ln3}, 2, 2);
    Variable y = LogSoftmax.apply(new Tape(), x);
    double a = Math.log(0.25);
    double b = Math.log(0.75);
    AllClose.check("y", new double[] {a, b, a, b}, y.value().data(), 1e-3, 1e-6);
  }

  @Test
  void logSoftmaxBackwardSubtractsTheSoftmaxTimesTheGradientSum() {
    // dX = dY − softmax · Σ dY: dY = [1, 2], softmax [1/4, 3/4]: [1 − 3/4, 2 − 9/4] = [0.25, −0.25]
    Variable x = param("x", new float[] {0, (float) Math.log(3)}, 2);
    Tape tape = new Tape();
    backward(tape, LogSoftmax.apply(tape, x), 1, 2);
    AllClose.check("dX", new float[] {0.25f, -0.25f}, x.grad().data(), 1e-6, 1e-7);
  }

  @Test
  void refusesAScalar() {
    Variable s = Variable.parameter("s", dev.tapegrad.tensor.Tensor.scalar(1f));
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Softmax.apply(new Tape(), s), "Softmax", "[]");
    assertThrowsWithMessage(IllegalArgumentException.class, () -> LogSoftmax.apply(new Tape(), s), "LogSoftmax");
  }
}
