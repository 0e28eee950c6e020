package dev.tapegrad.ops;

import static dev.tapegrad.testing.TestValues.assertThrowsWithMessage;
import static dev.tapegrad.testing.TestValues.backward;
import static dev.tapegrad.testing.TestValues.param;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.tensor.AllClose;
import dev.tapegrad.tensor.Shape;
import dev.tapegrad.tensor.Tensor;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class LayerNormTest {

  private static final double TIGHT = 1e-6;

  // Row [1, 2, 3]: μ = 2, σ² = (1 + 0 + 1)/3 = 2/3, ρ = 1/√(2/3) = √1.5 = 1.2247449 (eps 0),
  // n = [−√1.5, 0, √1.5]
  private static final float R = 1.2247449f;

  @Test
  void normalisesEachRowThenScalesAndShifts() {
    // w = [1, 2, 3], b = [0.5, 0, −0.5]: out = [−R + 0.5, 0, 3R − 0.5]
    // second row [5, 5, 5]: σ² = 0, n = 0 whatever eps is, so out = b
    Variable x = param("x", new float[] {1, 2, 3, 5, 5, 5}, 2, 3);
    Variable w = param("w", new float[] {1, 2, 3}, 3);
    Variable b = param("b", new float[] {0.5f, 0, -0.5f}, 3);
    Variable out = LayerNorm.apply(new Tape(), x, new int[] {3}, w, b, 0f);
    assertEquals(Shape.of(2, 3), out.shape());
    Variable flat = LayerNorm.apply(new Tape(), param("x", new float[] {5, 5, 5}, 3), new int[] {3}, w, b, 1e-5f);
    AllClose.check("out", new float[] {-R + 0.5f, 0, 3 * R - 0.5f}, Arrays.copyOf(out.value().data(), 3),
        TIGHT, TIGHT);
    AllClose.check("constant row", new float[] {0.5f, 0, -0.5f}, flat.value().data(), TIGHT, TIGHT);
  }

  @Test
  void addsEpsToTheVariance() {
    // row [−1, 1]: σ² = 1; with eps 3, ρ = 1/√4 = 0.5, so out = [−0.5, 0.5]
    Variable out = LayerNorm.apply(new Tape(), param("x", new float[] {-1, 1}, 2), new int[] {2}, null, null, 3f);
    AllClose.check("out", new float[] {-0.5f, 0.5f}, out.value().data(), TIGHT, TIGHT);
  }

  @Test
  void backwardIsTheHandDerivedFormula() {
    // dOut = [1, 0, 0], w = 1: g = [1, 0, 0], mean(g) = 1/3, mean(g n) = −R/3.
    // dX_j = ρ (g_j − 1/3 + n_j R/3):
    //   j = 0: R (1 − 1/3 − R²/3) = R (2/3 − 1/2) = R/6
    //   j = 1: R (−1/3)
    //   j = 2: R (−1/3 + R²/3) = R/6
    // dW = dOut ⊙ n = [−R, 0, 0], dB = dOut = [1, 0, 0]
    Variable x = param("x", new float[] {1, 2, 3}, 3);
    Variable w = param("w", new float[] {1, 1, 1}, 3);
    Variable b = param("b", new float[] {0, 0, 0}, 3);
    Tape tape = new Tape();
    backward(tape, LayerNorm.apply(tape, x, new int[] {3}, w, b, 0f), 1, 0, 0);
    AllClose.check("dX", new float[] {R / 6, -R / 3, R / 6}, x.grad().data(), 1e-6, 1e-6);
    AllClose.check("dW", new float[] {-R, 0, 0}, w.grad().data(), TIGHT, TIGHT);
    AllClose.check("dB", new float[] {1, 0, 0}, b.grad().data(), TIGHT, TIGHT);
  }

  @Test
  void theWeightScalesTheGradientReachingTheNormalisedValues() {
    // with w = [2, 2, 2] and no bias, g doubles and so does dX: [R/3, −2R/3, R/3]
    Variable x = param("x", new float[] {1, 2, 3}, 3);
    Variable w = param("w", new float[] {2, 2, 2}, 3);
    Tape tape = new Tape();
    backward(tape, LayerNorm.apply(tape, x, new int[] {3}, w, null, 0f), 1, 0, 0);
    AllClose.check("dX", new float[] {R / 3, -2 * R / 3, R / 3}, x.grad().data(), 1e-6, 1e-6);
  }

  @Test
  void normalisingTheLastTwoDimensionsIsNormalisingTheirFlattening() {
    float[] values = {0.3f, -1.2f, 2.0f, 0.7f, 1.1f, -0.4f, 0.9f, 0.2f, -2.2f, 0.5f, 1.5f, 3.0f};
    Variable x2 = param("x", values, 2, 2, 3);
    Variable w2 = param("w", new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
    Variable x1 = param("x", values, 2, 6);
    Variable w1 = param("w", new float[] {1, 2, 3, 4, 5, 6}, 6);
    Tape tape2 = new Tape();
    Variable out2 = LayerNorm.apply(tape2, x2, new int[] {2, 3}, w2, null, 1e-5f);
    Tape tape1 = new Tape();
    Variable out1 = LayerNorm.apply(tape1, x1, new int[] {6}, w1, null, 1e-5f);
    AllClose.check("out", out1.value().data(), out2.value().data(), 0, 0);
    float[] seed = {1, -2, 3, 0.5f, 0, 1, 2, 2, -1, 0, 0.25f, 4};
    backward(tape2, out2, seed);
    backward(tape1, out1, seed);
    AllClose.check("dX", x1.grad().data(), x2.grad().data(), 0, 0);
    AllClose.check("dW", w1.grad().data(), w2.grad().data(), 0, 0);
  }

  @Test
  void skipsTheGradientsOfConstants() {
    Variable x = param("x", new float[] {1, 2, 3}, 3);
    Variable w = Variable.constant(Tensor.of(new float[] {1, 1, 1}, 3));
    Tape tape = new Tape();
    backward(tape, LayerNorm.apply(tape, x, new int[] {3}, w, null, 0f), 1, 0, 0);
    AllClose.check("dX", new float[] {R / 6, -R / 3, R / 6}, x.grad().data(), 1e-6, 1e-6);
    assertNull(w.grad());
  }

  @Test
  void rejectsShapesThatDoNotFitWithTheShapesInTheMessage() {
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> LayerNorm.apply(new Tape(), param("x", new float[6], 2, 3), new int[] {2}, null, null, 1e-5f),
        "LayerNorm", "[2, 3]", "[2]");
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> LayerNorm.apply(new Tape(), param("x", new float[6], 2, 3), new int[] {3}, param("w", new float[2], 2),
            null, 1e-5f), "LayerNorm", "weight", "[2]", "[3]");
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> LayerNorm.apply(new Tape(), param("x", new float[6], 2, 3), new int[] {3}, null,
            param("b", new float[6], 2, 3), 1e-5f), "LayerNorm", "bias", "[2, 3]", "[3]");
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> LayerNorm.apply(new Tape(), param("x", new float[6], 2, 3), new int[] {3}, null, null, -1f),
        "LayerNorm", "eps", "-1");
  }
}
