package dev.tapegrad.ops;

import static dev.tapegrad.testing.TestValues.assertThrowsWithMessage;
import static dev.tapegrad.testing.TestValues.backward;
import static dev.tapegrad.testing.TestValues.param;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.tensor.AllClose;
import dev.tapegrad.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SoftmaxCrossEntropyTest {

  private static final float LN3 = (float) Math.log(3);

  @Test
  void computesTheMeanNegativeLogProbabilityOfTheTargets() {
    // row 0: logits [0, 0] → p = [1/2, 1/2], target 0: −ln(1/2) = 0.693147…
    // row 1: logits [0, ln 3] → p = [1/4, 3/4], target 1: −ln(3/4) = 0.287682…
    // mean over N = 2: (0.693147 + 0.287682) / 2 = 0.490415
    Variable logits = param("logits", new float[] {0, 0, 0, LN3}, 2, 2);
    Variable loss = SoftmaxCrossEntropy.apply(new Tape(), logits, new int[] {0, 1});
    assertEquals(0, loss.shape().rank());
    AllClose.check("loss", new double[] {(Math.log(2) - Math.log(0.75)) / 2}, loss.value().storage(), 1e-6, 0);
  }

  @Test
  void softmaxCrossEntropyGradientIsProbsMinusOneHot() {
    // (p − onehot) / N with N = 2:
    //   row 0: ([1/2, 1/2] − [1, 0]) / 2 = [−0.25, 0.25]
    //   row 1: ([1/4, 3/4] − [0, 1]) / 2 = [0.125, −0.125]
    Variable logits = param("logits", new float[] {0, 0, 0, LN3}, 2, 2);
    Tape tape = new Tape();
    tape.backward(SoftmaxCrossEntropy.apply(tape, logits, new int[] {0, 1}));
    AllClose.check("dLogits", new float[] {-0.25f, 0.25f, 0.125f, -0.125f}, logits.grad().storage(), 1e-6, 1e-7);
  }

  @Test
  void gradientEqualsProbsMinusOneHotDividedByNOnRandomLogits() {
    int rows = 3;
    int vocab = 5;
    Tensor values = Tensor.uniform(new SplittableRandom(11), -3f, 3f, rows, vocab);
    int[] targets = {4, 0, 2};
    Variable logits = Variable.parameter("logits", values);
    Tape tape = new Tape();
    Variable loss = SoftmaxCrossEntropy.apply(tape, logits, targets);
    tape.backward(loss);
    // the same math in double: p = exp(l − max) / Σ exp(l − max)
    double[] expected = new double[rows * vocab];
    double expectedLoss = 0;
    for (int n = 0; n < rows; n++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int v = 0; v < vocab; v++) {
        max = Math.max(max, values.get(n, v));
      }
      double sum = 0;
      for (int v = 0; v < vocab; v++) {
        sum += Math.exp(values.get(n, v) - max);
      }
      for (int v = 0; v < vocab; v++) {
        double p = Math.exp(values.get(n, v) - max) / sum;
        expected[n * vocab + v] = (p - (v == targets[n] ? 1 : 0)) / rows;
      }
      expectedLoss += (Math.log(sum) + max - values.get(n, targets[n])) / rows;
    }
    AllClose.check("loss", new double[] {expectedLoss}, loss.value().storage(), 1e-6, 0);
    AllClose.check("dLogits", expected, logits.grad().storage(), 1e-5, 1e-7);
  }

  @Test
  void scalesTheGradientByTheUpstreamGradient() {
    // dLoss = 2 doubles (p − onehot) / N: row [0, 0] with target 0 gives 2 · [−1/2, 1/2] = [−1, 1]
    Variable logits = param("logits", new float[] {0, 0}, 1, 2);
    Tape tape = new Tape();
    backward(tape, SoftmaxCrossEntropy.apply(tape, logits, new int[] {0}), 2f);
    AllClose.check("dLogits", new float[] {-1, 1}, logits.grad().storage(), 1e-6, 0);
  }

  @Test
  void isFiniteAndCorrectForLogitsOfMagnitude1e4() {
    // logits [1e4, 0, −1e4]: log Σ exp(l − max) = log(1 + e^−1e4 + e^−2e4) = 0 in any precision, so
    //   target 0: loss = 0 + 1e4 − 1e4 = 0, p = [1, 0, 0], gradient p − onehot = [0, 0, 0]
    //   target 1: loss = 0 + 1e4 − 0 = 1e4, gradient [1, −1, 0]
    float[] big = {1e4f, 0f, -1e4f};
    Variable forFirst = param("logits", big, 1, 3);
    Tape tape0 = new Tape();
    Variable loss0 = SoftmaxCrossEntropy.apply(tape0, forFirst, new int[] {0});
    tape0.backward(loss0);
    AllClose.check("loss, target 0", new float[] {0}, loss0.value().storage(), 0, 1e-6);
    assertTrue(forFirst.grad().isFinite());
    AllClose.check("dLogits, target 0", new float[] {0, 0, 0}, forFirst.grad().storage(), 0, 1e-6);

    Variable forSecond = param("logits", big, 1, 3);
    Tape tape1 = new Tape();
    Variable loss1 = SoftmaxCrossEntropy.apply(tape1, forSecond, new int[] {1});
    tape1.backward(loss1);
    AllClose.check("loss, target 1", new float[] {1e4f}, loss1.value().storage(), 1e-6, 0);
    assertTrue(forSecond.grad().isFinite());
    AllClose.check("dLogits, target 1", new float[] {1, -1, 0}, forSecond.grad().storage(), 0, 1e-6);
  }

  @Test
  void equalLargeNegativeLogitsGiveUniformProbabilities() {
    // [−1e4, −1e4]: p = [1/2, 1/2], loss = ln 2, gradient ([1/2, 1/2] − [0, 1]) / 1
    Variable logits = param("logits", new float[] {-1e4f, -1e4f}, 1, 2);
    Tape tape = new Tape();
    Variable loss = SoftmaxCrossEntropy.apply(tape, logits, new int[] {1});
    tape.backward(loss);
    AllClose.check("loss", new double[] {Math.log(2)}, loss.value().storage(), 1e-6, 0);
    AllClose.check("dLogits", new float[] {0.5f, -0.5f}, logits.grad().storage(), 1e-6, 0);
  }

  @Test
  void usesTheTargetsAsTheyWereAtForward() {
    Variable logits = param("logits", new float[] {0, 0}, 1, 2);
    int[] targets = {0};
    Tape tape = new Tape();
    Variable loss = SoftmaxCrossEntropy.apply(tape, logits, targets);
    targets[0] = 1;
    tape.backward(loss);
    AllClose.check("dLogits", new float[] {-0.5f, 0.5f}, logits.grad().storage(), 1e-6, 0);
  }

  @Test
  void rejectsATargetCountThatDiffersFromTheRowsNamingTheShape() {
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> SoftmaxCrossEntropy.apply(new Tape(), param("l", new float[6], 2, 3), new int[] {0}), "[2, 3]",
        "2 targets, got 1");
  }

  @Test
  void rejectsATargetOutOfRangeNamingTargetAndClassCount() {
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> SoftmaxCrossEntropy.apply(new Tape(), param("l", new float[6], 2, 3), new int[] {0, 3}), "target 3",
        "position 1", "3 classes");
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> SoftmaxCrossEntropy.apply(new Tape(), param("l", new float[6], 2, 3), new int[] {-1, 0}), "target -1");
  }

  @Test
  void rejectsLogitsThatAreNotTwoDimensional() {
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> SoftmaxCrossEntropy.apply(new Tape(), param("l", new float[3], 3), new int[] {0}), "logits", "2-D",
        "[3]");
  }
}
