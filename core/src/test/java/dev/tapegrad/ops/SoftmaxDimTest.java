package dev.tapegrad.ops;

import static dev.tapegrad.testing.TestValues.assertThrowsWithMessage;
import static dev.tapegrad.testing.TestValues.backward;
import static dev.tapegrad.testing.TestValues.param;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.tensor.AllClose;
import org.junit.jupiter.api.Test;

/** Softmax and log-softmax over a dimension other than the last, against the last-dimension form on a transpose. */
class SoftmaxDimTest {

  @Test
  void softmaxOverTheFirstDimensionNormalisesEveryColumn() {
    // x (2, 2) = [[0, ln 3], [ln 3, 0]]: column 0 is [0, ln 3] → [1/4, 3/4], column 1 is [ln 3, 0] → [3/4, 1/4]
    float ln3 = (float) Math.log(3);
    Variable x = param("x", new float[] {0, ln3, ln3, 0}, 2, 2);
    Tape tape = new Tape();
    Variable y = Softmax.apply(tape, x, 0);
    AllClose.check("softmax", new float[] {0.25f, 0.75f, 0.75f, 0.25f}, y.value().data(), 1e-6, 1e-7);
    Variable logY = LogSoftmax.apply(new Tape(), x, -2);
    AllClose.check("log-softmax", new float[] {(float) Math.log(0.25), (float) Math.log(0.75), (float) Math.log(0.75),
        (float) Math.log(0.25)}, logY.value().data(), 1e-6, 1e-7);
    // dX = y ⊙ (dY − Σ dY y) per column; dY = [1, 0; 0, 0]: column 0 → 1/4·(1 − 1/4), 3/4·(0 − 1/4)
    backward(tape, y, 1, 0, 0, 0);
    AllClose.check("dX", new float[] {0.1875f, 0, -0.1875f, 0}, x.grad().data(), 1e-6, 1e-7);
  }

  @Test
  void theMiddleDimensionAgreesWithTheLastAfterATranspose() {
    // (2, 3, 2) over dim 1 equals, element for element, the last-dim softmax of its transpose (2, 2, 3)
    float[] v = {0.3f, -1.2f, 2.0f, 0.5f, -0.7f, 1.1f, 0.9f, 0.0f, -2.0f, 1.5f, 0.4f, -0.3f};
    Variable x = param("x", v, 2, 3, 2);
    Tape tape = new Tape();
    float[] alongMiddle = Softmax.apply(tape, x, 1).value().data();
    float[] viaLast = Transpose.apply(tape, Softmax.apply(tape, Transpose.apply(tape, x))).value().data();
    AllClose.check("softmax", viaLast, alongMiddle, 1e-6, 1e-7);
    float[] logMiddle = LogSoftmax.apply(tape, x, -2).value().data();
    float[] logViaLast = Transpose.apply(tape, LogSoftmax.apply(tape, Transpose.apply(tape, x))).value().data();
    AllClose.check("log-softmax", logViaLast, logMiddle, 1e-6, 1e-7);
  }

  @Test
  void rejectsADimensionOutOfRange() {
    assertThrowsWithMessage(IllegalArgumentException.class, () -> Softmax.apply(new Tape(), param("x", new float[4], 2,
        2), 2), "Softmax", "2", "[2, 2]");
  }
}
