package dev.tapegrad.ops;

import static dev.tapegrad.testing.TestValues.assertThrowsWithMessage;
import static dev.tapegrad.testing.TestValues.backward;
import static dev.tapegrad.testing.TestValues.param;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.tensor.AllClose;
import dev.tapegrad.tensor.Shape;
import org.junit.jupiter.api.Test;

class VarTest {

  @Test
  void isUnbiasedByDefaultAndBiasedWithCorrectionZero() {
    // [1, 2, 3, 4]: mean 2.5, Σ(x − mean)² = 5 → 5/3 unbiased, 5/4 biased
    Variable x = param("x", new float[] {1, 2, 3, 4}, 4);
    assertEquals(5f / 3, Var.apply(new Tape(), x).value().item(), 1e-6);
    assertEquals(1.25f, Var.apply(new Tape(), x, new int[] {0}, 0, false).value().item(), 1e-6);
  }

  @Test
  void reducesSeveralDimensions() {
    // (2, 2, 2) over dims {0, 2}: middle 0 gathers {1, 3, 5, 7} → var 20/3; middle 1 {2, 4, 6, 8} → 20/3
    Variable x = param("x", new float[] {1, 3, 2, 4, 5, 7, 6, 8}, 2, 2, 2);
    Variable out = Var.apply(new Tape(), x, new int[] {0, 2}, true);
    assertEquals(Shape.of(1, 2, 1), out.shape());
    AllClose.check("var", new float[] {20f / 3, 20f / 3}, out.value().data(), 1e-6, 0);
  }

  @Test
  void gradientIsTwiceTheCentredInputOverTheDivisor() {
    // [1, 2, 3, 4], correction 1: dX = dOut · 2 (x − 2.5) / 3 with dOut = 3 → [−3, −1, 1, 3]
    Variable x = param("x", new float[] {1, 2, 3, 4}, 4);
    Tape tape = new Tape();
    backward(tape, Var.apply(tape, x, new int[] {-1}, false), 3f);
    AllClose.check("dX", new float[] {-3, -1, 1, 3}, x.grad().data(), 1e-6, 1e-6);
  }

  @Test
  void aSingleElementWithCorrectionOneIsNan() {
    // n − c = 0: 0 / 0, as in PyTorch
    assertTrue(Float.isNaN(Var.apply(new Tape(), param("x", new float[] {3, 4}, 2, 1), new int[] {1}, false)
        .value().data()[0]));
  }

  @Test
  void rejectsANegativeCorrection() {
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> Var.apply(new Tape(), param("x", new float[] {1, 2}, 2), new int[] {0}, -1, false), "Var",
        "correction", "-1");
  }
}
