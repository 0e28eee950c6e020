package dev.tapegrad.autograd;

import static dev.tapegrad.testing.TestValues.assertThrowsWithMessage;
import static dev.tapegrad.testing.TestValues.constant;
import static dev.tapegrad.testing.TestValues.param;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.ops.Linear;
import dev.tapegrad.ops.Mul;
import dev.tapegrad.ops.Tanh;
import dev.tapegrad.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

class GradCheckTest {

  @Test
  void defaultsAreTheDocumentedStepAndTolerances() {
    assertEquals(1e-3, GradCheck.DEFAULT_EPS);
    assertEquals(1e-2, GradCheck.DEFAULT_RTOL);
    assertEquals(1e-3, GradCheck.DEFAULT_ATOL);
  }

  @Test
  void passesACorrectOpAndCountsEveryInputElement() {
    Variable x = param("x", new float[] {-1.5f, -0.2f, 0.3f, 1.1f, 0.7f, -0.9f}, 2, 3);
    Variable w = param("w", new float[] {0.4f, -0.6f, 0.8f, 0.1f, -0.3f, 0.5f}, 2, 3);
    Variable b = param("b", new float[] {0.2f, -0.1f}, 2);
    GradCheck.Result r = GradCheck.check(tape -> Tanh.apply(tape, Linear.apply(tape, x, w, b)), List.of(x, w, b));
    assertTrue(r.passed(), r::toString);
    // 6 + 6 + 2 perturbed elements
    assertEquals(14, r.elementsChecked());
    assertSame(r, r.orThrow());
    assertTrue(r.toString().startsWith("gradient check passed"), r::toString);
  }

  @Test
  void failsAnOpWhoseBackwardHasTheWrongSignAndNamesTheElement() {
    // y = x², but backward claims dy/dx = −2x. x[1] = 2 has the largest true gradient, 4,
    // and so the largest error.
    Variable x = param("x", new float[] {0.5f, 2f, -1f}, 3);
    GradCheck.Result r = GradCheck.check(tape -> square(tape, x, -2f, 0, 0f), List.of(x));
    assertFalse(r.passed());
    assertEquals("x", r.input());
    assertEquals(1, r.index());
    assertEquals(-r.numeric(), r.analytic(), 1e-2 * Math.abs(r.numeric()));
    AssertionError e = assertThrows(AssertionError.class, r::orThrow);
    assertTrue(e.getMessage().startsWith("gradient check FAILED: worst at x[1]"), e.getMessage());
  }

  @Test
  void failsAnOpThatIsWrongInASingleElement() {
    // correct backward, 2x, except that element 2 receives 0.01 too much: above atol 1e-3 plus
    // rtol 1e-2 times |2 · 0.25| = 6e-3
    Variable x = param("x", new float[] {0.5f, -0.75f, 0.25f, 1f}, 4);
    GradCheck.Result r = GradCheck.check(tape -> square(tape, x, 2f, 2, 0.01f), List.of(x));
    assertFalse(r.passed());
    assertEquals(2, r.index());
  }

  @Test
  void leavesTheInputValuesAsTheyWere() {
    float[] values = {0.1f, -0.7f, 1.3f};
    Variable x = param("x", values, 3);
    GradCheck.check(tape -> Tanh.apply(tape, x), List.of(x)).orThrow();
    assertArrayEquals(values, x.value().toArray());
  }

  @Test
  void anInputTheOutputIgnoresHasAZeroGradient() {
    Variable x = param("x", new float[] {0.3f, 0.4f}, 2);
    Variable unused = param("unused", new float[] {1f}, 1);
    GradCheck.Result r = GradCheck.check(tape -> Mul.apply(tape, x, x), List.of(x, unused));
    assertTrue(r.passed(), r::toString);
    assertEquals(3, r.elementsChecked());
  }

  @Test
  void zeroesGradientsLeftFromEarlierBackwardPasses() {
    Variable x = param("x", new float[] {0.3f, -0.4f}, 2);
    x.gradBuffer().storage()[0] = 100f;
    assertTrue(GradCheck.check(tape -> Tanh.apply(tape, x), List.of(x)).passed());
  }

  @Test
  void rejectsAnInputThatNeedsNoGradient() {
    Variable c = constant(new float[] {1f}, 1);
    assertThrowsWithMessage(IllegalArgumentException.class, () -> GradCheck.check(tape -> Tanh.apply(tape, c),
        List.of(c)), "Variable.parameter");
  }

  /**
   * y = x², elementwise, with a backward that accumulates {@code factor · x · dOut} and then adds
   * {@code extra} at {@code index}: factor 2 and extra 0 is the correct derivative.
   */
  private static Variable square(Tape tape, Variable x, float factor, int index, float extra) {
    float[] v = x.value().storage();
    Tensor out = Tensor.zeros(x.shape());
    for (int i = 0; i < v.length; i++) {
      out.storage()[i] = v[i] * v[i];
    }
    Variable y = tape.output("Square", out, x);
    if (y.requiresGrad()) {
      float[] saved = v.clone();
      tape.record("Square", y, dOut -> {
        float[] dx = x.gradBuffer().storage();
        for (int i = 0; i < saved.length; i++) {
          dx[i] += factor * saved[i] * dOut.storage()[i];
        }
        dx[index] += extra;
      }, x);
    }
    return y;
  }
}
