package dev.tapegrad.optim;

import static dev.tapegrad.testing.TestValues.assertThrowsWithMessage;
import static dev.tapegrad.testing.TestValues.param;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tapegrad.autograd.Variable;
import dev.tapegrad.tensor.AllClose;
import java.util.List;
import org.junit.jupiter.api.Test;

class GradClipTest {

  /** Two parameters whose gradients [3, 0] and [4] have global norm √(9 + 0 + 16) = 5. */
  private static List<Variable> threeFourFive() {
    Variable a = param("a", new float[2], 2);
    Variable b = param("b", new float[1], 1);
    a.gradBuffer().storage()[0] = 3f;
    b.gradBuffer().storage()[0] = 4f;
    return List.of(a, b);
  }

  @Test
  void computesTheGlobalNormOverAllParameters() {
    assertEquals(5.0, GradClip.globalNorm(threeFourFive()));
  }

  @Test
  void scalesEveryGradientByMaxNormOverTheNorm() {
    // total 5 > 1: scale = 1 / (5 + 1e-6) = 0.19999996, so [3, 0] → [0.6, 0] and [4] → [0.8]
    List<Variable> params = threeFourFive();
    double norm = GradClip.clipGlobalNorm(params, 1.0);
    assertEquals(5.0, norm);
    float scale = (float) (1.0 / (5.0 + 1e-6));
    assertArrayEquals(new float[] {3f * scale, 0f}, params.get(0).grad().toArray());
    assertArrayEquals(new float[] {4f * scale}, params.get(1).grad().toArray());
    AllClose.check("a", new float[] {0.6f, 0f}, params.get(0).grad().storage(), 1e-6, 0);
    AllClose.check("b", new float[] {0.8f}, params.get(1).grad().storage(), 1e-6, 0);
    assertTrue(GradClip.globalNorm(params) <= 1.0);
  }

  @Test
  void leavesGradientsAloneBelowTheMaximum() {
    List<Variable> params = threeFourFive();
    assertEquals(5.0, GradClip.clipGlobalNorm(params, 10.0));
    assertArrayEquals(new float[] {3, 0}, params.get(0).grad().toArray());
    assertArrayEquals(new float[] {4}, params.get(1).grad().toArray());
  }

  @Test
  void leavesGradientsAloneAtExactlyTheMaximum() {
    List<Variable> params = threeFourFive();
    assertEquals(5.0, GradClip.clipGlobalNorm(params, 5.0));
    assertArrayEquals(new float[] {3, 0}, params.get(0).grad().toArray());
    assertArrayEquals(new float[] {4}, params.get(1).grad().toArray());
  }

  @Test
  void parametersWithoutAGradientCountAsZeroAndStayWithout() {
    Variable none = param("none", new float[3], 3);
    List<Variable> params = List.of(threeFourFive().get(0), none);
    // only [3, 0] contributes: norm 3
    assertEquals(3.0, GradClip.clipGlobalNorm(params, 1.0));
    assertNull(none.grad());
    AllClose.check("a", new float[] {1f, 0f}, params.get(0).grad().storage(), 1e-6, 0);
  }

  @Test
  void normOfLargeFloatGradientsDoesNotOverflow() {
    // squares are summed in double: √((3e30)² + (4e30)²) = 5e30, though (3e30f)² overflows a float
    Variable p = param("p", new float[2], 2);
    p.gradBuffer().storage()[0] = 3e30f;
    p.gradBuffer().storage()[1] = 4e30f;
    assertEquals(5e30, GradClip.globalNorm(List.of(p)), 5e30 * 1e-6);
  }

  @Test
  void reportsANonFiniteNorm() {
    Variable p = param("p", new float[2], 2);
    p.gradBuffer().storage()[0] = Float.NaN;
    assertTrue(Double.isNaN(GradClip.clipGlobalNorm(List.of(p), 1.0)));
    p.gradBuffer().storage()[0] = Float.POSITIVE_INFINITY;
    assertTrue(Double.isInfinite(GradClip.globalNorm(List.of(p))));
  }

  @Test
  void rejectsAMaximumThatIsNotPositive() {
    List<Variable> params = threeFourFive();
    assertThrowsWithMessage(IllegalArgumentException.class, () -> GradClip.clipGlobalNorm(params, 0), "0.0");
    assertThrowsWithMessage(IllegalArgumentException.class, () -> GradClip.clipGlobalNorm(params, Double.NaN), "NaN");
  }
}
