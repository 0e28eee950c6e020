package dev.tapegrad.kernel;

/**
 * Scalar reference loops for the elementwise ops that clip or fold their input: absolute value and
 * clamp, with their backwards (which accumulate).
 */
public final class ClampKernels {

  private ClampKernels() {}

  /**
   * {@code y = |x|}.
   *
   * @param x the input
   * @param y the output, same length
   */
  public static void absForward(float[] x, float[] y) {
    for (int i = 0; i < x.length; i++) {
      y[i] = Math.abs(x[i]);
    }
  }

  /**
   * {@code dX += dY · sign(x)}, with sign(0) = 0 as PyTorch's {@code sgn}: |x|' is 1 for x &gt; 0 and
   * −1 for x &lt; 0, and the kink at 0 passes nothing.
   *
   * @param dY the gradient of the output
   * @param x the saved input
   * @param dX accumulated into
   */
  public static void absBackward(float[] dY, float[] x, float[] dX) {
    for (int i = 0; i < dY.length; i++) {
      dX[i] += dY[i] * Math.signum(x[i]);
    }
  }

  /**
   * {@code y = min(max(x, low), high)}: PyTorch's order, so {@code low > high} gives high
   * everywhere. A bound of ±∞ is no bound; a NaN input stays NaN.
   *
   * @param x the input
   * @param low the lower bound
   * @param high the upper bound
   * @param y the output, same length
   */
  public static void clampForward(float[] x, float low, float high, float[] y) {
    for (int i = 0; i < x.length; i++) {
      y[i] = Math.min(Math.max(x[i], low), high);
    }
  }

  /**
   * {@code dX += dY · [low ≤ x ≤ high]}: the gradient passes where x lies within the bounds,
   * including on them (as PyTorch), and nowhere else.
   *
   * @param dY the gradient of the output
   * @param x the saved input
   * @param low the lower bound
   * @param high the upper bound
   * @param dX accumulated into
   */
  public static void clampBackward(float[] dY, float[] x, float low, float high, float[] dX) {
    for (int i = 0; i < dY.length; i++) {
      dX[i] += x[i] >= low && x[i] <= high ? dY[i] : 0f;
    }
  }
}
