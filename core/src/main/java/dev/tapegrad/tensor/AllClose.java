package dev.tapegrad.tensor;

/**
 * Compares floating-point arrays with a tolerance, as {@code torch.testing.assert_close} does.
 *
 * <p>Element {@code i} is close when {@code |actual[i] - expected[i]| <= atol + rtol * |expected[i]|}.
 * A failure names the worst element, its index and both values, so a mismatch can be found at a
 * glance.
 *
 * <pre>{@code
 * AllClose.check("logits", expected, actual.storage(), 1e-5, 1e-6);
 * }</pre>
 */
public final class AllClose {

  private AllClose() {}

  /**
   * Checks that two arrays are elementwise close.
   *
   * @param what a name for the compared values, used in the failure message
   * @param expected the expected values
   * @param actual the actual values
   * @param rtol relative tolerance
   * @param atol absolute tolerance
   * @throws AssertionError naming the worst element if any element is not close, or if the
   *     lengths differ
   */
  public static void check(String what, float[] expected, float[] actual, double rtol, double atol) {
    double[] e = new double[expected.length];
    for (int i = 0; i < e.length; i++) {
      e[i] = expected[i];
    }
    check(what, e, actual, rtol, atol);
  }

  /**
   * Checks float values against double-precision expectations.
   *
   * @param what a name for the compared values, used in the failure message
   * @param expected the expected values
   * @param actual the actual values
   * @param rtol relative tolerance
   * @param atol absolute tolerance
   * @throws AssertionError naming the worst element if any element is not close
   */
  public static void check(String what, double[] expected, float[] actual, double rtol, double atol) {
    if (expected.length != actual.length) {
      throw new AssertionError(what + ": expected " + expected.length + " values, got " + actual.length);
    }
    int worst = -1;
    double worstExcess = 0;
    int failures = 0;
    for (int i = 0; i < expected.length; i++) {
      double diff = Math.abs(actual[i] - expected[i]);
      double allowed = atol + rtol * Math.abs(expected[i]);
      // NaN never compares as close; !(diff <= allowed) catches it.
      if (!(diff <= allowed)) {
        failures++;
        double excess = Double.isNaN(diff) ? Double.POSITIVE_INFINITY : diff / allowed;
        if (worst < 0 || excess > worstExcess) {
          worst = i;
          worstExcess = excess;
        }
      }
    }
    if (worst >= 0) {
      throw new AssertionError(String.format(
          "%s: %d of %d elements not close (rtol %.1e, atol %.1e); worst at index %d: expected %.9g, actual %.9g",
          what, failures, expected.length, rtol, atol, worst, expected[worst], actual[worst]));
    }
  }

  /**
   * Returns the largest relative difference {@code |a - b| / max(|a|, |b|, floor)}.
   *
   * @param a first values
   * @param b second values, same length
   * @param floor the smallest denominator, so values near zero are compared absolutely
   * @return the largest relative difference
   */
  public static double maxRelativeError(float[] a, float[] b, double floor) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("lengths differ: " + a.length + " vs " + b.length);
    }
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      double denom = Math.max(floor, Math.max(Math.abs(a[i]), Math.abs(b[i])));
      double rel = Math.abs(a[i] - b[i]) / denom;
      if (Double.isNaN(rel)) {
        return Double.POSITIVE_INFINITY;
      }
      max = Math.max(max, rel);
    }
    return max;
  }
}
