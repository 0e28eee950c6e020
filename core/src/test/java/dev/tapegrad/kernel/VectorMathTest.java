package dev.tapegrad.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * {@link VectorMath}'s range functions: the exponential (and e^x − 1) within 2 ulp of
 * {@link Math#exp} ({@link Math#expm1}) on their whole range and at their edges, σ and tanh within
 * a few ulp of the double-precision functions, each leaving the tail past the last whole vector to
 * the caller, and all of them giving the same bits on every call, interpreted or compiled.
 */
class VectorMathTest {

  private static final int LANES = Vectors.LANES;

  /** The documented accuracy of the lane exponential, in units in the last place. */
  private static final int EXP_MAX_ULPS = 2;

  /** σ and tanh: the exponential's error, one division and, for tanh, the e^x − 1 split. */
  private static final int GATE_MAX_ULPS = 4;

  /** The functions under test, each over a whole range of the array. */
  @FunctionalInterface
  private interface Range {
    int apply(float[] x, float[] y, int n);
  }

  @Test
  void laneExponentialsAreWithinTwoUlpsOfMathExpAndExpm1() {
    // a dense sweep of [ln 2^−126, 0]
    int points = 1 << 18;
    float lo = -87.3365f;
    float[] x = new float[points];
    for (int i = 0; i < points; i++) {
      x[i] = lo - lo * i / (points - 1);
    }
    assertWithinUlps("e^x", (in, out, n) -> VectorMath.expNegAbs(in, 0, 1f, false, out, 0, n), Math::exp, x,
        EXP_MAX_ULPS);
    assertWithinUlps("e^x − 1", (in, out, n) -> VectorMath.expNegAbs(in, 0, 1f, true, out, 0, n), Math::expm1, x,
        EXP_MAX_ULPS);
  }

  @Test
  void laneExponentialHandlesItsEdgesAndTheScalarTailGivesTheSameBits() {
    float[] special = {0f, -0f, Float.NEGATIVE_INFINITY, -88f, -1000f, Float.NaN, -1e-30f, -87.3365f};
    float[] want = {1f, 1f, 0f, 0f, 0f, Float.NaN, 1f, (float) Math.exp(-87.3365f)};
    int n = (special.length + LANES - 1) / LANES * LANES;
    float[] x = new float[n];
    float[] expected = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = special[i % special.length];
      expected[i] = want[i % special.length];
    }
    float[] actual = new float[n];
    assertEquals(n, VectorMath.expNegAbs(x, 0, 1f, false, actual, 0, n));
    for (int i = 0; i < n; i++) {
      if (Float.isNaN(expected[i])) {
        assertTrue(Float.isNaN(actual[i]), "e^NaN is NaN");
      } else {
        assertEquals(expected[i], actual[i], Math.ulp(expected[i]) * EXP_MAX_ULPS, "e^" + x[i]);
      }
      // the scalar tail version computes the same bits
      assertEquals(Float.floatToIntBits(actual[i]), Float.floatToIntBits(VectorMath.expNonPositive(x[i])),
          "scalar e^" + x[i]);
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
    float[] scratch = new float[x.length];
    assertWithinUlps("σ", (in, out, n) -> VectorMath.sigmoid(in, 0, out, 0, n, scratch),
        v -> 1 / (1 + Math.exp(-v)), x, GATE_MAX_ULPS);
    assertWithinUlps("tanh", (in, out, n) -> VectorMath.tanh(in, 0, out, 0, n, scratch), Math::tanh, x,
        GATE_MAX_ULPS);
  }

  @Test
  void rangesStopAtTheLastWholeVectorAndWorkInPlace() {
    float[] x = new float[3 * LANES + 3];
    for (int i = 0; i < x.length; i++) {
      x[i] = -3f + 0.21f * i;
    }
    float[] scratch = new float[x.length];
    float[] apart = new float[x.length];
    assertEquals(3 * LANES, VectorMath.sigmoid(x, 0, apart, 0, x.length, scratch));
    assertEquals(0f, apart[3 * LANES], "the tail is left to the caller");
    float[] inPlace = x.clone();
    VectorMath.sigmoid(inPlace, 0, inPlace, 0, x.length, scratch);
    KernelAsserts.assertBitwiseEqual("σ in place", Arrays.copyOf(apart, 3 * LANES), Arrays.copyOf(inPlace, 3 * LANES));
    VectorMath.tanh(x, 0, apart, 0, x.length, scratch);
    inPlace = x.clone();
    VectorMath.tanh(inPlace, 0, inPlace, 0, x.length, scratch);
    KernelAsserts.assertBitwiseEqual("tanh in place", Arrays.copyOf(apart, 3 * LANES),
        Arrays.copyOf(inPlace, 3 * LANES));
  }

  @Test
  void laneSigmoidAndTanhGiveTheSameBitsOnEveryCall() {
    // enough calls for the JIT to compile the functions part way through
    float[] x = new float[LANES];
    for (int i = 0; i < LANES; i++) {
      x[i] = -9.7f + 1.3f * i;
    }
    float[] scratch = new float[LANES];
    float[] sigmoid = new float[LANES];
    float[] tanh = new float[LANES];
    VectorMath.sigmoid(x, 0, sigmoid, 0, LANES, scratch);
    VectorMath.tanh(x, 0, tanh, 0, LANES, scratch);
    float[] again = new float[LANES];
    for (int call = 0; call < 50_000; call++) {
      VectorMath.sigmoid(x, 0, again, 0, LANES, scratch);
      KernelAsserts.assertBitwiseEqual("σ, call " + call, sigmoid, again);
      VectorMath.tanh(x, 0, again, 0, LANES, scratch);
      KernelAsserts.assertBitwiseEqual("tanh, call " + call, tanh, again);
    }
  }

  private static void assertWithinUlps(String name, Range f, DoubleUnaryOperator exact, float[] x, int maxUlps) {
    float[] padded = Arrays.copyOf(x, (x.length + LANES - 1) / LANES * LANES);
    float[] y = new float[padded.length];
    assertEquals(padded.length, f.apply(padded, y, padded.length));
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
    assertTrue(worst <= maxUlps, name + ": worst error " + worst + " ulp at x = " + worstAt);
  }
}
