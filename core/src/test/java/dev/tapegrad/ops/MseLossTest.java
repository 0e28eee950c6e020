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

class MseLossTest {

  private static final double TIGHT = 1e-6;

  // x = [1, 2, 3], y = [0, 2, 5]: x − y = [1, 0, −2], terms [1, 0, 4]
  private static final float[] X = {1, 2, 3};
  private static final float[] Y = {0, 2, 5};

  @Test
  void averagesTheSquaredDifferencesAndGivesBothGradients() {
    // mean = 5/3; dX = 2 (x − y) / 3 = [2/3, 0, −4/3], dY = −dX
    Variable x = param("x", X, 3);
    Variable y = param("y", Y, 3);
    Tape tape = new Tape();
    Variable loss = MseLoss.apply(tape, x, y, Reduction.MEAN);
    AllClose.check("loss", new float[] {5f / 3}, loss.value().data(), TIGHT, TIGHT);
    backward(tape, loss, 1);
    AllClose.check("dX", new float[] {2f / 3, 0, -4f / 3}, x.grad().data(), TIGHT, TIGHT);
    AllClose.check("dY", new float[] {-2f / 3, 0, 4f / 3}, y.grad().data(), TIGHT, TIGHT);
  }

  @Test
  void sumsOrKeepsEveryTerm() {
    Variable x = param("x", X, 1, 3);
    Variable sum = MseLoss.apply(new Tape(), x, param("y", Y, 1, 3), Reduction.SUM);
    AllClose.check("sum", new float[] {5}, sum.value().data(), 0, 0);
    Tape tape = new Tape();
    Variable none = MseLoss.apply(tape, x, param("y", Y, 1, 3), Reduction.NONE);
    assertEquals(Shape.of(1, 3), none.shape());
    AllClose.check("none", new float[] {1, 0, 4}, none.value().data(), 0, 0);
    // dX_i = 2 (x_i − y_i) dOut_i with dOut = [3, 1, 1]: [6, 0, −4]
    backward(tape, none, 3, 1, 1);
    AllClose.check("dX", new float[] {6, 0, -4}, x.grad().data(), 0, 0);
  }

  @Test
  void rejectsATargetOfAnotherShape() {
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> MseLoss.apply(new Tape(), param("x", X, 3), param("y", X, 3, 1), Reduction.MEAN), "MseLoss", "[3]",
        "[3, 1]");
  }
}
