package dev.tapegrad.ops;

import static dev.tapegrad.testing.TestValues.assertThrowsWithMessage;
import static dev.tapegrad.testing.TestValues.backward;
import static dev.tapegrad.testing.TestValues.constant;
import static dev.tapegrad.testing.TestValues.param;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.tensor.AllClose;
import dev.tapegrad.tensor.Shape;
import dev.tapegrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

class LinearTest {

  private static final double EXACT = 0;

  // x = [[1, 2, 3], [4, 5, 6]] (N 2, In 3); W = [[1, 0, −1], [2, 1, 0]] (Out 2, In 3); b = [10, 20]
  private static final float[] X = {1, 2, 3, 4, 5, 6};
  private static final float[] W = {1, 0, -1, 2, 1, 0};
  private static final float[] B = {10, 20};

  @Test
  void computesXTimesWeightTransposedPlusBias() {
    // out[0] = [1 − 3 + 10, 2 + 2 + 20] = [8, 24]
    // out[1] = [4 − 6 + 10, 8 + 5 + 20] = [8, 33]
    Variable out = Linear.apply(new Tape(), param("x", X, 2, 3), param("w", W, 2, 3), param("b", B, 2));
    AllClose.check("out", new float[] {8, 24, 8, 33}, out.value().data(), EXACT, EXACT);
  }

  @Test
  void worksWithoutBias() {
    Variable out = Linear.apply(new Tape(), param("x", X, 2, 3), param("w", W, 2, 3), null);
    AllClose.check("out", new float[] {-2, 4, -2, 13}, out.value().data(), EXACT, EXACT);
  }

  @Test
  void backwardGivesInputWeightAndBiasGradients() {
    // dOut = [[1, 2], [3, 4]]
    // dX = dOut · W:  row 0 = 1·[1, 0, −1] + 2·[2, 1, 0] = [5, 2, −1]
    //                 row 1 = 3·[1, 0, −1] + 4·[2, 1, 0] = [11, 4, −3]
    // dW = dOutᵀ · x: row 0 = 1·[1, 2, 3] + 3·[4, 5, 6] = [13, 17, 21]
    //                 row 1 = 2·[1, 2, 3] + 4·[4, 5, 6] = [18, 24, 30]
    // db = column sums of dOut = [4, 6]
    Variable x = param("x", X, 2, 3);
    Variable w = param("w", W, 2, 3);
    Variable b = param("b", B, 2);
    Tape tape = new Tape();
    backward(tape, Linear.apply(tape, x, w, b), 1, 2, 3, 4);
    AllClose.check("dX", new float[] {5, 2, -1, 11, 4, -3}, x.grad().data(), EXACT, EXACT);
    AllClose.check("dW", new float[] {13, 17, 21, 18, 24, 30}, w.grad().data(), EXACT, EXACT);
    AllClose.check("db", new float[] {4, 6}, b.grad().data(), EXACT, EXACT);
  }

  @Test
  void matchesMatMulWithTheTransposedWeightPlusAdd() {
    // Wᵀ = [[1, 2], [0, 1], [−1, 0]]
    Variable x1 = param("x", X, 2, 3);
    Variable w1 = param("w", W, 2, 3);
    Variable b1 = param("b", B, 2);
    Tape fused = new Tape();
    Variable out1 = Linear.apply(fused, x1, w1, b1);
    backward(fused, out1, 1, -2, 3, 5);

    Variable x2 = param("x", X, 2, 3);
    Variable wT = param("wT", new float[] {1, 2, 0, 1, -1, 0}, 3, 2);
    Variable b2 = param("b", B, 2);
    Tape composed = new Tape();
    Variable out2 = Add.apply(composed, MatMul.apply(composed, x2, wT), b2);
    backward(composed, out2, 1, -2, 3, 5);

    AllClose.check("out", out2.value().data(), out1.value().data(), EXACT, EXACT);
    AllClose.check("dX", x2.grad().data(), x1.grad().data(), EXACT, EXACT);
    // dW is the transpose of d(Wᵀ)
    float[] dWt = wT.grad().data();
    float[] dW = w1.grad().data();
    for (int o = 0; o < 2; o++) {
      for (int i = 0; i < 3; i++) {
        AllClose.check("dW[" + o + ", " + i + "]", new float[] {dWt[i * 2 + o]}, new float[] {dW[o * 3 + i]}, EXACT,
            EXACT);
      }
    }
    AllClose.check("db", b2.grad().data(), b1.grad().data(), EXACT, EXACT);
  }

  @Test
  void skipsGradientsOfConstantInputs() {
    Variable x = constant(X, 2, 3);
    Variable w = param("w", W, 2, 3);
    Tape tape = new Tape();
    backward(tape, Linear.apply(tape, x, w, null), 1, 2, 3, 4);
    assertNull(x.grad());
    AllClose.check("dW", new float[] {13, 17, 21, 18, 24, 30}, w.grad().data(), EXACT, EXACT);
  }

  @Test
  void rejectsMismatchedShapesWithBothShapesInMessage() {
    // In differs: x has 3 columns, the weight rows have 2
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> Linear.apply(new Tape(), param("x", X, 2, 3), param("w", new float[6], 3, 2), null), "Linear", "[2, 3]",
        "[3, 2]");
    // the bias must have Out elements
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> Linear.apply(new Tape(), param("x", X, 2, 3), param("w", W, 2, 3), param("b", new float[3], 3)),
        "Linear", "[3]", "[2, 3]");
  }

  @Test
  void foldsLeadingDimensionsIntoRows() {
    // x (2, 1, 3) holds the rows of X: the output (2, 1, 2) holds the same values as for (2, 3),
    // and so do the gradients
    Variable x = param("x", X, 2, 1, 3);
    Variable w = param("w", W, 2, 3);
    Variable b = param("b", B, 2);
    Tape tape = new Tape();
    Variable out = Linear.apply(tape, x, w, b);
    assertEquals(Shape.of(2, 1, 2), out.shape());
    AllClose.check("out", new float[] {8, 24, 8, 33}, out.value().data(), EXACT, EXACT);
    backward(tape, out, 1, 2, 3, 4);
    AllClose.check("dX", new float[] {5, 2, -1, 11, 4, -3}, x.grad().data(), EXACT, EXACT);
    AllClose.check("dW", new float[] {13, 17, 21, 18, 24, 30}, w.grad().data(), EXACT, EXACT);
    AllClose.check("db", new float[] {4, 6}, b.grad().data(), EXACT, EXACT);
  }

  @Test
  void mapsNoRowsToNoRowsAndZeroFeaturesToTheBias() {
    // x (0, 3) → (0, 2); x (2, 0) with W (2, 0): every sum is empty, so out is the bias in each row
    assertEquals(Shape.of(0, 2),
        Linear.apply(new Tape(), param("x", new float[0], 0, 3), param("w", W, 2, 3), param("b", B, 2)).shape());
    Variable out = Linear.apply(new Tape(), param("x", new float[0], 2, 0), param("w", new float[0], 2, 0),
        param("b", B, 2));
    AllClose.check("out", new float[] {10, 20, 10, 20}, out.value().data(), EXACT, EXACT);
  }

  @Test
  void mapsASingleVector() {
    // x = [1, 2, 3] (3) → [1 − 3 + 10, 2 + 2 + 20] = [8, 24], shape (2), as F.linear
    Variable out = Linear.apply(new Tape(), param("x", new float[] {1, 2, 3}, 3), param("w", W, 2, 3),
        param("b", B, 2));
    assertEquals(Shape.of(2), out.shape());
    AllClose.check("out", new float[] {8, 24}, out.value().data(), EXACT, EXACT);
  }

  @Test
  void rejectsAScalarInputAndAWeightThatIsNotTwoDimensional() {
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> Linear.apply(new Tape(), Variable.parameter("x", Tensor.scalar(1f)), param("w", W, 2, 3), null),
        "Linear", "x", "[]");
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> Linear.apply(new Tape(), param("x", X, 2, 3), param("w", W, 6), null), "Linear", "weight", "[6]");
  }
}
