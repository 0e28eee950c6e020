package dev.tapegrad.ops;

import static dev.tapegrad.testing.TestValues.assertThrowsWithMessage;
import static dev.tapegrad.testing.TestValues.backward;
import static dev.tapegrad.testing.TestValues.constant;
import static dev.tapegrad.testing.TestValues.param;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.tensor.AllClose;
import dev.tapegrad.tensor.Shape;
import dev.tapegrad.tensor.Tensor;
import org.junit.jupiter.api.Test;

class BinaryCrossEntropyWithLogitsTest {

  private static final double TIGHT = 1e-6;
  private static final float LN2 = (float) Math.log(2);

  @Test
  void isTheCrossEntropyOfTheSigmoidTermByTerm() {
    // x = 0, y = 1: −log σ(0) = ln 2;  x = 2, y = 1: log(1 + e^−2);  x = −3, y = 0: log(1 + e^−3)
    // dX = σ(x) − y: [−1/2, σ(2) − 1, σ(−3)]; dY = −x: [0, −2, 3]
    Variable x = param("x", new float[] {0, 2, -3}, 3);
    Variable y = param("y", new float[] {1, 1, 0}, 3);
    Tape tape = new Tape();
    Variable terms = BinaryCrossEntropyWithLogits.apply(tape, x, y, Reduction.NONE);
    assertEquals(Shape.of(3), terms.shape());
    AllClose.check("terms", new float[] {LN2, (float) Math.log1p(Math.exp(-2)), (float) Math.log1p(Math.exp(-3))},
        terms.value().data(), TIGHT, TIGHT);
    backward(tape, terms, 1, 1, 1);
    AllClose.check("dX", new float[] {-0.5f, (float) (1 / (1 + Math.exp(-2)) - 1), (float) (1 / (1 + Math.exp(3)))},
        x.grad().data(), TIGHT, TIGHT);
    AllClose.check("dY", new float[] {0, -2, 3}, y.grad().data(), TIGHT, TIGHT);
  }

  @Test
  void staysFiniteForHugeLogits() {
    // x = 100, y = 0: −log(1 − σ(100)) = 100 + log(1 + e^−100) ≈ 100; x = −100, y = 1: the same
    Variable x = param("x", new float[] {100, -100}, 2);
    Variable loss = BinaryCrossEntropyWithLogits.apply(new Tape(), x, constant(new float[] {0, 1}, 2),
        Reduction.MEAN);
    AllClose.check("loss", new float[] {100}, loss.value().data(), TIGHT, 0);
  }

  @Test
  void weightsThePositiveTermsPerClass() {
    // x = 0 everywhere, posWeight [1, 3] over the last dimension, y = [[1, 1], [0, 1]]:
    // a positive of class 1 costs 3 ln 2, everything else ln 2; dX = (1 − y) − L σ(0), L = 1 + 2y
    // for class 1: [[1/2 − 1, 0 − 3/2], [1 − 1/2, 0 − 3/2]]
    Variable x = param("x", new float[4], 2, 2);
    Variable y = constant(new float[] {1, 1, 0, 1}, 2, 2);
    Tape tape = new Tape();
    Variable terms = BinaryCrossEntropyWithLogits.apply(tape, x, y, Tensor.of(new float[] {1, 3}, 2),
        Reduction.NONE);
    AllClose.check("terms", new float[] {LN2, 3 * LN2, LN2, 3 * LN2}, terms.value().data(), TIGHT, TIGHT);
    backward(tape, terms, 1, 1, 1, 1);
    AllClose.check("dX", new float[] {-0.5f, -1.5f, 0.5f, -1.5f}, x.grad().data(), TIGHT, TIGHT);
    Variable sum = BinaryCrossEntropyWithLogits.apply(new Tape(), x, y, Tensor.of(new float[] {1, 3}, 2),
        Reduction.SUM);
    AllClose.check("sum", new float[] {8 * LN2}, sum.value().data(), TIGHT, TIGHT);
  }

  @Test
  void rejectsShapesThatDoNotFit() {
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> BinaryCrossEntropyWithLogits.apply(new Tape(), param("x", new float[2], 2), param("y", new float[2], 1,
            2), Reduction.MEAN), "BinaryCrossEntropyWithLogits", "[2]", "[1, 2]");
    // a posWeight of 3 against 2 classes, and one that would grow the input
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> BinaryCrossEntropyWithLogits.apply(new Tape(), param("x", new float[2], 2), param("y", new float[2], 2),
            Tensor.of(new float[3], 3), Reduction.MEAN), "BinaryCrossEntropyWithLogits", "[2]", "[3]");
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> BinaryCrossEntropyWithLogits.apply(new Tape(), param("x", new float[2], 2), param("y", new float[2], 2),
            Tensor.of(new float[4], 2, 2), Reduction.MEAN), "BinaryCrossEntropyWithLogits", "posWeight", "[2, 2]");
  }
}
