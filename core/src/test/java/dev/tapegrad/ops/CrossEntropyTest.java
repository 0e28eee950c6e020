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
import dev.tapegrad.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CrossEntropyTest {

  private static final double TIGHT = 1e-6;
  private static final float LN3 = (float) Math.log(3);

  // logits (1, 3, 2), rows [ln 3, 0] (target 0), [0, 0] (ignored), [0, ln 3] (target 0):
  //   row 0: lse = ln 4, p = [3/4, 1/4], nll = ln(4/3), Σ_c (lse − x_c) = ln(4/3) + ln 4
  //   row 2: lse = ln 4, p = [1/4, 3/4], nll = ln 4,     Σ_c (lse − x_c) = ln 4 + ln(4/3)
  // with ε = 0.2, C = 2: term = 0.8 nll + 0.1 Σ_c (lse − x_c)
  private static final float[] LOGITS = {LN3, 0, 0, 0, 0, LN3};
  private static final int[] TARGETS = {0, -100, 0};
  private static final double SMOOTH = Math.log(4.0 / 3) + Math.log(4);
  private static final float TERM0 = (float) (0.8 * Math.log(4.0 / 3) + 0.1 * SMOOTH);
  private static final float TERM2 = (float) (0.8 * Math.log(4) + 0.1 * SMOOTH);

  @Test
  void smoothsLabelsAndAveragesOverTheTargetsNotIgnored() {
    Variable logits = param("logits", LOGITS, 1, 3, 2);
    Tape tape = new Tape();
    Variable loss = CrossEntropy.apply(tape, logits, TARGETS, -100, 0.2f, Reduction.MEAN);
    assertEquals(Shape.of(), loss.shape());
    AllClose.check("loss", new float[] {(TERM0 + TERM2) / 2}, loss.value().data(), TIGHT, TIGHT);
    // dLogits[r] = (p − 0.8 onehot − 0.1) / 2: row 0 [3/4 − 0.9, 1/4 − 0.1] / 2, row 1 nothing,
    // row 2 [1/4 − 0.9, 3/4 − 0.1] / 2
    backward(tape, loss, 1);
    AllClose.check("dLogits", new float[] {-0.075f, 0.075f, 0, 0, -0.325f, 0.325f}, logits.grad().data(), 1e-6,
        1e-6);
  }

  @Test
  void sumsOrKeepsOneTermPerPosition() {
    Variable logits = param("logits", LOGITS, 1, 3, 2);
    Variable sum = CrossEntropy.apply(new Tape(), logits, TARGETS, -100, 0.2f, Reduction.SUM);
    AllClose.check("sum", new float[] {TERM0 + TERM2}, sum.value().data(), TIGHT, TIGHT);
    Tape tape = new Tape();
    Variable none = CrossEntropy.apply(tape, logits, TARGETS, -100, 0.2f, Reduction.NONE);
    assertEquals(Shape.of(1, 3), none.shape());
    AllClose.check("none", new float[] {TERM0, 0, TERM2}, none.value().data(), TIGHT, TIGHT);
    // seeding each term: row 0's gradient times 2, row 2's times −1
    backward(tape, none, 2, 5, -1);
    AllClose.check("dLogits", new float[] {-0.3f, 0.3f, 0, 0, 0.65f, -0.65f}, logits.grad().data(), 1e-6, 1e-6);
  }

  @Test
  void leavesOutTheIgnoreIndexOfYourChoiceWithoutSmoothing() {
    // rows 0 and 2 with target 0, row 1 ignored by index 1 (a real class): mean of ln(4/3) and ln 4
    Variable logits = param("logits", LOGITS, 3, 2);
    Variable loss = CrossEntropy.apply(new Tape(), logits, new int[] {0, 1, 0}, 1, 0f, Reduction.MEAN);
    AllClose.check("loss", new float[] {(float) ((Math.log(4.0 / 3) + Math.log(4)) / 2)}, loss.value().data(), TIGHT,
        TIGHT);
  }

  @Test
  void thePlainCaseIsSoftmaxCrossEntropyBitwise() {
    Tensor values = Tensor.uniform(new SplittableRandom(5), -3f, 3f, 2, 3, 4);
    int[] targets = {0, 3, 1, 2, 2, 0};
    Variable logits = Variable.parameter("logits", values.copy());
    Tape tape = new Tape();
    Variable loss = CrossEntropy.apply(tape, logits, targets);
    backward(tape, loss, 1);
    Variable flat = Variable.parameter("flat", values.copy().reshape(6, 4));
    Tape tape2 = new Tape();
    Variable expected = SoftmaxCrossEntropy.apply(tape2, flat, targets);
    backward(tape2, expected, 1);
    assertEquals(expected.value().item(), loss.value().item());
    AllClose.check("dLogits", flat.grad().data(), logits.grad().data(), 0, 0);
  }

  @Test
  void theGeneralPathAgreesWithThePlainOneWithoutSmoothingOrIgnoredTargets() {
    // Reduction.SUM takes the general path; divided by the rows it is the plain mean
    Tensor values = Tensor.uniform(new SplittableRandom(6), -3f, 3f, 5, 7);
    int[] targets = {6, 0, 3, 3, 1};
    Variable sum = CrossEntropy.apply(new Tape(), Variable.constant(values), targets, -100, 0f, Reduction.SUM);
    Variable mean = CrossEntropy.apply(new Tape(), Variable.constant(values), targets);
    AllClose.check("sum / rows", new float[] {mean.value().item()}, new float[] {sum.value().item() / 5}, 1e-6, 1e-6);
  }

  @Test
  void takesASingleRowOfLogits() {
    // logits (2) = [ln 3, 0], target 0: ln(4/3), a scalar; as none it is a scalar too
    Variable logits = param("logits", new float[] {LN3, 0}, 2);
    Variable loss = CrossEntropy.apply(new Tape(), logits, new int[] {0});
    AllClose.check("loss", new float[] {(float) Math.log(4.0 / 3)}, loss.value().data(), TIGHT, TIGHT);
    Variable none = CrossEntropy.apply(new Tape(), logits, new int[] {0}, -100, 0f, Reduction.NONE);
    assertEquals(Shape.of(), none.shape());
  }

  @Test
  void theMeanOfNoTargetsIsNanWithAZeroGradientAsPyTorch() {
    Variable logits = param("logits", LOGITS, 3, 2);
    Tape tape = new Tape();
    Variable loss = CrossEntropy.apply(tape, logits, new int[] {-100, -100, -100}, -100, 0.1f, Reduction.MEAN);
    assertTrue(Float.isNaN(loss.value().item()));
    backward(tape, loss, 1);
    AllClose.check("dLogits", new float[6], logits.grad().data(), 0, 0);
  }

  @Test
  void noRowsGiveANanMeanAndAZeroSumAsPyTorch() {
    Variable logits = param("logits", new float[0], 0, 3);
    assertTrue(Float.isNaN(CrossEntropy.apply(new Tape(), logits, new int[0], -100, 0.1f, Reduction.MEAN).value()
        .item()));
    assertEquals(0f, CrossEntropy.apply(new Tape(), logits, new int[0], -100, 0f, Reduction.SUM).value().item());
    assertEquals(Shape.of(0),
        CrossEntropy.apply(new Tape(), logits, new int[0], -100, 0f, Reduction.NONE).value().shape());
  }

  @Test
  void isStableForHugeLogits() {
    // [1e4, 0] with target 1: lse = 1e4 (+ e^−1e4), so the loss is 1e4, finite; smoothing adds
    // 0.1 Σ_c (lse − x_c) = 0.1 · 1e4
    Variable logits = param("logits", new float[] {1e4f, 0}, 1, 2);
    Variable loss = CrossEntropy.apply(new Tape(), logits, new int[] {1}, -100, 0.2f, Reduction.SUM);
    AllClose.check("loss", new float[] {0.8f * 1e4f + 0.1f * 1e4f}, loss.value().data(), 1e-6, 0);
  }

  @Test
  void rejectsTargetsThatDoNotFitWithTheShapeInTheMessage() {
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> CrossEntropy.apply(new Tape(), param("logits", LOGITS, 3, 2), new int[] {0, 1}), "CrossEntropy",
        "[3, 2]", "3 targets", "got 2");
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> CrossEntropy.apply(new Tape(), param("logits", LOGITS, 3, 2), new int[] {0, 2, 1}), "CrossEntropy",
        "target 2", "position 1", "2 classes");
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> CrossEntropy.apply(new Tape(), param("logits", LOGITS, 3, 2), TARGETS, -100, 1.5f, Reduction.MEAN),
        "CrossEntropy", "labelSmoothing", "1.5");
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> CrossEntropy.apply(new Tape(), Variable.parameter("x", Tensor.scalar(1f)), new int[] {0}),
        "CrossEntropy", "[]");
  }
}
