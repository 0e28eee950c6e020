package dev.tapegrad.kernel;

/**
 * Scalar reference loops for the Gaussian error linear unit, exact ({@code erf}) and tanh-approximated,
 * with their backwards (which accumulate); and the error function itself, which Java's
 * {@link Math} lacks.
 *
 * <p><b>The error function</b>, {@code erf(z) = (2/√π) ∫₀^z e^(−t²) dt}, is evaluated in double from
 * two classical formulas:
 * <ul>
 *   <li>for |z| &lt; 1 its Maclaurin series {@code erf(z) = (2/√π) Σ_n (−1)^n z^(2n+1) / (n! (2n+1))},
 *       summed to n = {@value #SERIES_TERMS} − 1 (the next term is below 10^−17 relative);
 *   <li>for |z| ≥ 1 the complementary function from the Chebyshev-fitted formula of Numerical
 *       Recipes ({@code erfcc}, 2nd ed., §6.2): with {@code t = 1/(1 + z/2)},
 *       {@code erfc(z) ≈ t·exp(−z² + P(t))}, P a degree-9 polynomial, whose relative error is below
 *       1.2·10^−7 for every z ≥ 0; then {@code erf = 1 − erfc}.
 * </ul>
 * So erf is within 10^−7 relative everywhere (below 10^−15 on the series branch), which rounds to
 * within about one float ulp; and erfc keeps its relative accuracy deep in the tail, where
 * {@code 1 − erf} would cancel to 0.
 *
 * <p><b>GELU</b> is {@code x·Φ(x)} with Φ the standard normal CDF, {@code Φ(x) = ½ erfc(−x/√2)},
 * evaluated as above in double and rounded once. Note: PyTorch evaluates {@code ½x(1 + erf(x/√2))}
 * in float, which cancels to 0 for x below about −5.5; here the tail stays accurate (GELU(−6) is
 * about −5.9·10^−9, not 0). The difference is far below float resolution near 0.
 */
public final class GeluKernels {

  /** Terms of the Maclaurin series of erf used for |z| &lt; 1. */
  static final int SERIES_TERMS = 18;

  /** {@code (2/√π) (−1)^n / (n! (2n+1))}: the series' coefficients in powers of z², times 2/√π. */
  private static final double[] SERIES = seriesCoefficients();

  /** 1/√2, to form x/√2. */
  private static final double SQRT_HALF = Math.sqrt(0.5);

  /** 1/√(2π), the standard normal density at 0. */
  private static final double INV_SQRT_TWO_PI = 1 / Math.sqrt(2 * Math.PI);

  /** √(2/π), the tanh approximation's scale. */
  private static final double SQRT_TWO_OVER_PI = Math.sqrt(2 / Math.PI);

  /** The cubic coefficient of the tanh approximation (Hendrycks and Gimpel, 2016). */
  private static final double TANH_CUBIC = 0.044715;

  private GeluKernels() {}

  private static double[] seriesCoefficients() {
    double[] c = new double[SERIES_TERMS];
    double factorial = 1;
    for (int n = 0; n < SERIES_TERMS; n++) {
      factorial *= Math.max(n, 1);
      c[n] = (n % 2 == 0 ? 1 : -1) * 2 / Math.sqrt(Math.PI) / (factorial * (2 * n + 1));
    }
    return c;
  }

  /**
   * The error function, {@code erf(z) = (2/√π) ∫₀^z e^(−t²) dt}, within 10^−7 relative (see the class
   * note). erf(±∞) = ±1, erf(NaN) = NaN.
   *
   * @param z the argument
   * @return erf(z)
   */
  public static double erf(double z) {
    double a = Math.abs(z);
    if (a < 1) {
      return erfSeries(z);
    }
    // erf(z) = sign(z) (1 − erfc(|z|)); the NaN check keeps NaN
    return a == a ? Math.copySign(1 - erfcPositive(a), z) : z;
  }

  /**
   * The complementary error function, {@code erfc(z) = 1 − erf(z)}, accurate in relative terms
   * in the upper tail too (see the class note).
   *
   * @param z the argument
   * @return erfc(z)
   */
  public static double erfc(double z) {
    if (Math.abs(z) < 1) {
      return 1 - erfSeries(z);
    }
    // erfc(−z) = 2 − erfc(z)
    return z > 0 ? erfcPositive(z) : z < 0 ? 2 - erfcPositive(-z) : z;
  }

  /**
   * The standard normal cumulative distribution, {@code Φ(x) = ½ erfc(−x/√2)}.
   *
   * @param x the argument
   * @return Φ(x)
   */
  public static double normalCdf(double x) {
    return 0.5 * erfc(-x * SQRT_HALF);
  }

  /** The Maclaurin series of erf, for |z| &lt; 1: Horner's rule in z². */
  private static double erfSeries(double z) {
    double z2 = z * z;
    double s = SERIES[SERIES_TERMS - 1];
    for (int n = SERIES_TERMS - 2; n >= 0; n--) {
      s = s * z2 + SERIES[n];
    }
    return z * s;
  }

  /** Numerical Recipes' erfcc for z ≥ 0: relative error below 1.2·10^−7. */
  private static double erfcPositive(double z) {
    double t = 1 / (1 + 0.5 * z);
    double p = -1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
        + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
    return t * Math.exp(-z * z + p);
  }

  /**
   * {@code y = x·Φ(x)}: the exact GELU ({@code approximate='none'}).
   *
   * @param x the input
   * @param y the output, same length
   */
  public static void geluForward(float[] x, float[] y) {
    for (int i = 0; i < x.length; i++) {
      y[i] = (float) (x[i] * normalCdf(x[i]));
    }
  }

  /**
   * {@code dX += dY · (Φ(x) + x·φ(x))}, φ the standard normal density {@code e^(−x²/2)/√(2π)}.
   *
   * @param dY the gradient of the output
   * @param x the saved input
   * @param dX accumulated into
   */
  public static void geluBackward(float[] dY, float[] x, float[] dX) {
    for (int i = 0; i < dY.length; i++) {
      double v = x[i];
      double density = INV_SQRT_TWO_PI * Math.exp(-0.5 * v * v);
      dX[i] += dY[i] * (float) (normalCdf(v) + v * density);
    }
  }

  /**
   * {@code y = ½x (1 + tanh(√(2/π) (x + 0.044715 x³)))}: the tanh approximation
   * ({@code approximate='tanh'}).
   *
   * @param x the input
   * @param y the output, same length
   */
  public static void geluTanhForward(float[] x, float[] y) {
    for (int i = 0; i < x.length; i++) {
      double v = x[i];
      y[i] = (float) (0.5 * v * (1 + Math.tanh(SQRT_TWO_OVER_PI * (v + TANH_CUBIC * v * v * v))));
    }
  }

  /**
   * {@code dX += dY · (½(1 + t) + ½x (1 − t²) √(2/π) (1 + 3·0.044715 x²))} with
   * {@code t = tanh(√(2/π)(x + 0.044715 x³))}: the product rule on {@code ½x(1 + t)}.
   *
   * @param dY the gradient of the output
   * @param x the saved input
   * @param dX accumulated into
   */
  public static void geluTanhBackward(float[] dY, float[] x, float[] dX) {
    for (int i = 0; i < dY.length; i++) {
      double v = x[i];
      double t = Math.tanh(SQRT_TWO_OVER_PI * (v + TANH_CUBIC * v * v * v));
      double du = SQRT_TWO_OVER_PI * (1 + 3 * TANH_CUBIC * v * v);
      dX[i] += dY[i] * (float) (0.5 * (1 + t) + 0.5 * v * (1 - t * t) * du);
    }
  }
}
