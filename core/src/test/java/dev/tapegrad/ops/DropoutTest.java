package dev.tapegrad.ops;

import static dev.tapegrad.testing.TestValues.assertThrowsWithMessage;
import static dev.tapegrad.testing.TestValues.backward;
import static dev.tapegrad.testing.TestValues.param;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.autograd.Tape;
import dev.tapegrad.autograd.Variable;
import dev.tapegrad.tensor.Tensor;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DropoutTest {

  /** Rows and columns of the large tensor for the statistical tests: 200 000 elements. */
  private static final int ROWS = 400;
  private static final int COLS = 500;

  /**
   * The survivors are x · fl(1 / (1 − p)), two float roundings away from the exact x / (1 − p):
   * each at most 2⁻²⁴ relative, so at most about 1.2e-7 together.
   */
  private static final double SCALE_RTOL = 2 * Math.pow(2, -24) * 1.01;

  /**
   * How many standard deviations a statistic may stray. Under a normal approximation a 5σ
   * deviation has probability about 6e-7, so a correct op fails with almost no seed, while a wrong
   * keep probability or scale (a shift of many σ at these sizes) cannot pass.
   */
  private static final double SIGMAS = 5;

  @Test
  void zeroProbabilityReturnsTheSameVariableAndRecordsNothing() {
    Variable x = param("x", new float[] {1, -2, 3}, 3);
    Tape tape = new Tape();
    assertSame(x, Dropout.apply(tape, x, 0f, null), "p = 0 is the identity, and needs no generator");
    assertTrue(tape.entries().isEmpty(), "nothing is recorded for p = 0");
  }

  @ParameterizedTest(name = "p = {0}")
  @ValueSource(floats = {-0.1f, 1f, 1.5f, Float.NaN, Float.POSITIVE_INFINITY})
  void rejectsAProbabilityOutsideZeroToOneNamingP(float p) {
    Variable x = param("x", new float[] {1, 2}, 2);
    assertThrowsWithMessage(IllegalArgumentException.class,
        () -> Dropout.apply(new Tape(), x, p, new SplittableRandom(1)), "Dropout", "p = " + p, "[0, 1)");
  }

  @Test
  void rejectsAMissingGeneratorWhenSomethingIsDropped() {
    Variable x = param("x", new float[] {1, 2}, 2);
    assertThrows(NullPointerException.class, () -> Dropout.apply(new Tape(), x, 0.5f, null));
  }

  @Test
  void keepsAboutOneMinusPOfTheElementsScaledByOneOverOneMinusP() {
    float p = 0.3f;
    // x in [1, 2): never zero, so a zero in the output means exactly "dropped"
    Variable x = Variable.constant(Tensor.uniform(new SplittableRandom(3), 1f, 2f, ROWS, COLS));
    float[] in = x.value().storage();
    float[] out = Dropout.apply(new Tape(), x, p, new SplittableRandom(4)).value().storage();
    int n = in.length;
    int kept = 0;
    for (int i = 0; i < n; i++) {
      if (out[i] != 0f) {
        kept++;
        double expected = in[i] / (1.0 - p);
        assertEquals(expected, out[i], SCALE_RTOL * expected, "survivor " + i + " is x / (1 − p)");
      }
    }
    // The kept count is Binomial(n, 1 − p): mean n(1 − p), standard deviation √(n p (1 − p)),
    // about 205 of 140 000 here; allow SIGMAS of them.
    double mean = n * (1.0 - p);
    double sd = Math.sqrt(n * p * (1.0 - p));
    assertEquals(mean, kept, SIGMAS * sd, "kept " + kept + " of " + n);
  }

  @Test
  void preservesTheMeanWithinItsStandardError() {
    float p = 0.5f;
    Variable x = Variable.constant(Tensor.uniform(new SplittableRandom(5), 0f, 2f, ROWS, COLS));
    float[] in = x.value().storage();
    float[] out = Dropout.apply(new Tape(), x, p, new SplittableRandom(6)).value().storage();
    int n = in.length;
    // out_i = x_i · m_i with m_i = 1/(1 − p) with probability 1 − p, else 0, independently; so
    // E[m_i] = 1 and Var[m_i] = p / (1 − p). Given x, mean(out) − mean(x) = (1/n) Σ x_i (m_i − 1)
    // has mean 0 and standard deviation √(Σ x_i² · p / (1 − p)) / n, about 0.0026 here (x in
    // [0, 2): Σ x_i² ≈ 4n/3). A sum of 200 000 independent terms is close to normal, so SIGMAS
    // standard deviations is a bound a correct op exceeds with probability under 1e-6, while
    // dropping without rescaling would shift the mean by half (about 190 σ).
    double sumIn = 0;
    double sumOut = 0;
    double sumSquares = 0;
    for (int i = 0; i < n; i++) {
      sumIn += in[i];
      sumOut += out[i];
      sumSquares += (double) in[i] * in[i];
    }
    double sd = Math.sqrt(sumSquares * p / (1.0 - p)) / n;
    assertEquals(sumIn / n, sumOut / n, SIGMAS * sd, "mean of the output vs mean of the input");
  }

  @Test
  void drawsOneUniformPerElementInRowMajorOrder() {
    float p = 0.4f;
    Variable x = Variable.constant(Tensor.full(1f, 6, 7));
    float[] out = Dropout.apply(new Tape(), x, p, new SplittableRandom(8)).value().storage();
    // Element i is kept exactly when the i-th draw u_i of the same generator is ≥ p.
    SplittableRandom draws = new SplittableRandom(8);
    for (int i = 0; i < out.length; i++) {
      assertEquals(draws.nextDouble() >= p, out[i] != 0f, "element " + i);
    }
  }

  @Test
  void sameSeedGivesTheSameMask() {
    Variable x = Variable.constant(Tensor.uniform(new SplittableRandom(9), -1f, 1f, 8, 16));
    float[] first = Dropout.apply(new Tape(), x, 0.5f, new SplittableRandom(10)).value().storage();
    float[] second = Dropout.apply(new Tape(), x, 0.5f, new SplittableRandom(10)).value().storage();
    float[] other = Dropout.apply(new Tape(), x, 0.5f, new SplittableRandom(11)).value().storage();
    assertArrayEquals(first, second, "same generator state, same mask");
    assertFalse(Arrays.equals(first, other), "another seed gives another mask (128 elements at p = 0.5)");
  }

  @Test
  void backwardMultipliesByTheSameMask() {
    // out = x ⊙ m with m_i ∈ {0, 1/(1 − p)} = {0, 4} for p = 0.75; dX = dOut ⊙ m
    float p = 0.75f;
    Variable x = param("x", new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 4);
    Tape tape = new Tape();
    Variable out = Dropout.apply(tape, x, p, new SplittableRandom(12));
    float[] o = out.value().storage();
    float[] dOut = {1, -1, 2, -2, 3, -3, 4, -4};
    backward(tape, out, dOut);
    float[] dX = x.grad().storage();
    for (int i = 0; i < o.length; i++) {
      float m = o[i] / x.value().storage()[i];
      assertTrue(m == 0f || m == 4f, "mask value " + m + " at " + i);
      assertEquals(dOut[i] * m, dX[i], 0, "dX at " + i);
    }
  }

  @Test
  void backwardAccumulatesWhenInputIsUsedTwice() {
    // out = x ⊙ m₁ + x ⊙ m₂ (two independent masks)  ⇒  dX = dOut ⊙ (m₁ + m₂)
    Variable x = param("x", new float[] {1, 2, 3, 4}, 4);
    SplittableRandom random = new SplittableRandom(13);
    Tape tape = new Tape();
    Variable a = Dropout.apply(tape, x, 0.5f, random);
    Variable b = Dropout.apply(tape, x, 0.5f, random);
    backward(tape, Add.apply(tape, a, b), 1, 1, 1, 1);
    for (int i = 0; i < 4; i++) {
      float masks = (a.value().storage()[i] + b.value().storage()[i]) / x.value().storage()[i];
      assertEquals(masks, x.grad().storage()[i], 0, "dX at " + i);
    }
  }

  @Test
  void dropsAlsoWhenTheTapeIsNotRecording() {
    // No grad is not evaluation mode (as in PyTorch): the same generator state gives the same mask.
    Variable x = param("x", new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 8);
    float[] recorded = Dropout.apply(new Tape(), x, 0.5f, new SplittableRandom(14)).value().storage();
    Tape tape = new Tape();
    float[] unrecorded;
    try (Tape.NoGrad off = tape.noGrad()) {
      unrecorded = Dropout.apply(tape, x, 0.5f, new SplittableRandom(14)).value().storage();
    }
    assertArrayEquals(recorded, unrecorded);
    assertTrue(tape.entries().isEmpty());
  }
}
