package dev.tapegrad.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * {@link VectorMath}'s lane functions: the exponential within 2 ulp of {@link Math#exp} on its
 * whole range and at its edges, σ and tanh within a few ulp of the double-precision functions,
 * and every one of them giving the same bits on every call, interpreted or compiled.
 */
class VectorMathTest {

  private static final int LANES = VectorMath.SPECIES.length();

  /** The documented accuracy of the lane exponential, in units in the last place. */
  private static final int EXP_MAX_ULPS = 2;

  /** σ and tanh: the exponential's error, one division and, for tanh, the e^x − 1 split. */
  private static final int GATE_MAX_ULPS = 4;

  @Test
  void laneExponentialIsWithinTwoUlpsOfMathExp() {
    // a dense sweep of [ln 2^−126, 0], all lanes of a vector at a time
    int points = 1 << 18;
    float lo = -87.3365f;
    float[] x = new float[points];
    for (int i = 0; i < points; i++) {
      x[i] = lo - lo * i / (points - 1);
    }
    float[] e = new float[points];
    for (int i = 0; i < points; i += LANES) {
      VectorMath.expNonPositive(FloatVector.fromArray(VectorMath.SPECIES, x, i))
          .intoArray(e, i);
    }
    double worst = 0;
    for (int i = 0; i < points; i++) {
      float expected = (float) Math.exp(x[i]);
      worst = Math.max(worst, Math.abs(e[i] - expected) / Math.ulp(expected));
    }
    assertTrue(worst <= EXP_MAX_ULPS, "worst error " + worst + " ulp");
  }

  @Test
  void laneExponentialHandlesItsEdges() {
    float[] x = new float[LANES];
    float[] expected = new float[LANES];
    float[] special = {0f, -0f, Float.NEGATIVE_INFINITY, -88f, -1000f, Float.NaN, -1e-30f, -87.3365f};
    float[] want = {1f, 1f, 0f, 0f, 0f, Float.NaN, 1f, (float) Math.exp(-87.3365f)};
    for (int s = 0; s < special.length; s += LANES) {
      for (int i = 0; i < LANES; i++) {
        x[i] = special[(s + i) % special.length];
        expected[i] = want[(s + i) % special.length];
      }
      float[] actual = new float[LANES];
      VectorMath.expNonPositive(FloatVector.fromArray(VectorMath.SPECIES, x, 0))
          .intoArray(actual, 0);
      for (int i = 0; i < LANES; i++) {
        if (Float.isNaN(expected[i])) {
          assertTrue(Float.isNaN(actual[i]), "e^NaN is NaN");
        } else {
          assertEquals(expected[i], actual[i], Math.ulp(expected[i]) * EXP_MAX_ULPS, "e^" + x[i]);
        }
        // the scalar tail version computes the same bits
        assertEquals(Float.floatToIntBits(actual[i]),
            Float.floatToIntBits(VectorMath.expNonPositive(x[i])), "scalar e^" + x[i]);
      }
    }
  }

  @Test
  void laneSigmoidAndTanhAreWithinAFewUlpsOnTheirWholeRange() {
    // a dense sweep of [−20, 20], with extra points near 0 where tanh(x) ≈ x must keep its digits
    int points = 1 << 16;
    float[] x = new float[points + 2 * 64];
    for (int i = 0; i < points; i++) {
      x[i] = -20f + 40f * i / (points - 1);
    }
    for (int i = 0; i < 64; i++) {
      x[points + 2 * i] = (float) Math.pow(10, -i / 4.0);
      x[points + 2 * i + 1] = -x[points + 2 * i];
    }
    assertWithinUlps("σ", VectorMath::sigmoid, v -> 1 / (1 + Math.exp(-v)), x);
    assertWithinUlps("tanh", VectorMath::tanh, Math::tanh, x);
  }

  @Test
  void laneSigmoidAndTanhGiveTheSameBitsOnEveryCall() {
    // enough calls for the JIT to compile the functions part way through
    float[] x = new float[LANES];
    for (int i = 0; i < LANES; i++) {
      x[i] = -9.7f + 1.3f * i;
    }
    FloatVector v = FloatVector.fromArray(VectorMath.SPECIES, x, 0);
    float[] sigmoid = new float[LANES];
    float[] tanh = new float[LANES];
    VectorMath.sigmoid(v).intoArray(sigmoid, 0);
    VectorMath.tanh(v).intoArray(tanh, 0);
    float[] again = new float[LANES];
    for (int call = 0; call < 50_000; call++) {
      VectorMath.sigmoid(v).intoArray(again, 0);
      KernelAsserts.assertBitwiseEqual("σ, call " + call, sigmoid, again);
      VectorMath.tanh(v).intoArray(again, 0);
      KernelAsserts.assertBitwiseEqual("tanh, call " + call, tanh, again);
    }
  }

  private static void assertWithinUlps(String name, UnaryOperator<FloatVector> f, DoubleUnaryOperator exact,
      float[] x) {
    float[] padded = java.util.Arrays.copyOf(x, (x.length + LANES - 1) / LANES * LANES);
    float[] y = new float[padded.length];
    for (int i = 0; i < padded.length; i += LANES) {
      f.apply(FloatVector.fromArray(VectorMath.SPECIES, padded, i)).intoArray(y, i);
    }
    double worst = 0;
    float worstAt = 0;
    for (int i = 0; i < x.length; i++) {
      float expected = (float) exact.applyAsDouble(x[i]);
      double ulps = Math.abs(y[i] - expected) / Math.ulp(expected);
      if (ulps > worst) {
        worst = ulps;
        worstAt = x[i];
      }
    }
    assertTrue(worst <= GATE_MAX_ULPS, name + ": worst error " + worst + " ulp at x = " + worstAt);
  }
}
