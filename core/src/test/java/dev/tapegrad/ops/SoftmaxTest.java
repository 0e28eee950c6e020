package dev.tapegrad.ops;

import static dev.tapegrad.testing.TestValues.assertThrowsWithMessage;
import static dev.tapegrad.testing.TestValues.backward;
import static dev.tapegrad.testing.TestValues.param;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.tensor.AllClose;
import org.junit.jupiter.api.Test;

/** Softmax over the last dimension, by hand. */
class SoftmaxTest {

  @Test
  void softmaxNormalisesEachRowAndIgnoresAShift() {
    // rows [0, ln 3] and [1000, 1000 + ln 3]: both are [1/4, 3/4]
    float ln3 = (float) Math.log(3);
    Variable x = param("x", new float[] {0, ln3, 1000, 1000 + ln3}, 2, 2);
    Variable y = Softmax.apply(new Tape(), x);
    AllClose.check("y", new float[] {0.25f, 0.75f, 0.25f, 0.75f}, y.value().storage(), 1e-4, 0);
  }

  @Test
  void softmaxBackwardIsYTimesTheCentredGradient() {
    // y = [1/4, 3/4], dY = [1, 0]: Σ dY y = 1/4, dX = y ⊙ (dY − 1/4) = [3/16, −3/16]
    Variable x = param("x", new float[] {0, (float) Math.log(3)}, 2);
    Tape tape = new Tape();
    backward(tape, Softmax.apply(tape, x), 1, 0);
    AllClose.check("dX", new float[] {0.1875f, -0.1875f}, x.grad().storage(), 1e-6, 0);
  }

  @Test
  void refusesAScalar() {
    Variable s = Variable.parameter("s", dev.tapegrad.tensor.Tensor.scalar(1f));
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Softmax.apply(new Tape(), s), "Softmax", "[]");
  }
}
