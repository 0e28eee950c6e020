package dev.tapegrad.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The error function against known values (from an independent libm, Python's {@code math.erf} and
 * {@code math.erfc}, which agree with the tables of Abramowitz and Stegun 7.1), and its edges.
 */
class GeluKernelsTest {

  /** {z, erf(z)}: both branches (series below 1, erfc formula from 1) and the boundary. */
  private static final double[][] ERF = {
      {1e-4, 1.1283791633342487e-4}, {0.1, 0.1124629160182849}, {0.5, 0.5204998778130465},
      {0.99, 0.8385080695553698}, {1.0, 0.8427007929497149}, {1.5, 0.9661051464753108},
      {2.0, 0.9953222650189527}, {3.0, 0.9999779095030014}, {4.5, 0.9999999998033839}};

  /** {z, erfc(z)}, down the tail where 1 − erf would cancel. */
  private static final double[][] ERFC = {
      {0.5, 0.4795001221869535}, {1.0, 0.15729920705028513}, {3.0, 2.2090496998585438e-05},
      {5.0, 1.5374597944280351e-12}, {8.0, 1.1224297172982928e-29}, {-2.0, 1.9953222650189528}};

  @Test
  void erfMatchesKnownValuesWithinOneTenMillionth() {
    for (double[] p : ERF) {
      double z = p[0];
      assertEquals(p[1], GeluKernels.erf(z), 1e-7 * p[1], "erf(" + z + ")");
      // erf is odd
      assertEquals(-p[1], GeluKernels.erf(-z), 1e-7 * p[1], "erf(" + -z + ")");
    }
  }

  @Test
  void erfIsFloatAccurateOnTheSeriesBranch() {
    // below 1 the series is summed to double precision: well inside one float ulp
    assertEquals(0.1124629160182849, GeluKernels.erf(0.1), 1e-15);
    assertEquals(0.5204998778130465, GeluKernels.erf(0.5), 1e-15);
  }

  @Test
  void erfcKeepsItsRelativeAccuracyInTheTail() {
    for (double[] p : ERFC) {
      assertEquals(p[1], GeluKernels.erfc(p[0]), 1.2e-7 * p[1], "erfc(" + p[0] + ")");
    }
  }

  @Test
  void erfIsContinuousWhereTheTwoFormulasMeet() {
    double below = GeluKernels.erf(Math.nextDown(1.0));
    double at = GeluKernels.erf(1.0);
    assertTrue(Math.abs(at - below) < 1e-7, () -> "jump of " + (at - below) + " at 1");
  }

  @Test
  void erfHandlesInfinitiesAndNan() {
    assertEquals(1.0, GeluKernels.erf(Double.POSITIVE_INFINITY));
    assertEquals(-1.0, GeluKernels.erf(Double.NEGATIVE_INFINITY));
    assertEquals(0.0, GeluKernels.erf(0.0));
    assertTrue(Double.isNaN(GeluKernels.erf(Double.NaN)));
    assertTrue(Double.isNaN(GeluKernels.erfc(Double.NaN)));
    assertEquals(2.0, GeluKernels.erfc(Double.NEGATIVE_INFINITY));
  }
}
