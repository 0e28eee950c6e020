package dev.tapegrad.kernel;

import dev.tapegrad.tensor.Broadcast;
import dev.tapegrad.tensor.Shape;
import java.util.SplittableRandom;

/**
 * Test helpers for comparing fast kernels with their scalar references: random operands, a
 * rounding-error bound for sums, and checks that name the worst element. Shared with the bench
 * module's properties through core's test jar.
 *
 * <p><b>Why the tolerance is what it is.</b> A SIMD or parallel kernel adds the same products as
 * the reference but in another order (lanes, tiles) and sometimes with fused multiply-adds, so
 * exact equality is not expected. For an output {@code c0 + Σ_{p<k} x_p} computed in float by
 * any order of additions, with or without FMA, the rounding error is at most
 * {@code γ(k+1) · (|c0| + Σ_p |x_p|)} where {@code γ(n) = n·u / (1 − n·u)} and
 * {@code u = 2^−24} is float's unit roundoff (Higham, <i>Accuracy and Stability of Numerical
 * Algorithms</i>, §3.1). The reference and the kernel each obey that bound, so they differ by at
 * most twice it; {@link #sumTolerance} uses {@code 2·(k+2)·u·magnitude}, where the extra term
 * covers the {@code 1/(1 − n·u)} factor for every k a test uses. The bound grows with the
 * reduction length and scales with the size of the terms, not of the result, so it is tight for
 * sums without cancellation and still safe for sums that cancel to near zero.
 */
public final class KernelAsserts {

  /** Float's unit roundoff, 2^−24: half the distance from 1 to the next float. */
  public static final double UNIT_ROUNDOFF = 0x1p-24;

  /** A matrix product kernel with the signature shared by every matmul in the kernel package. */
  @FunctionalInterface
  public interface MatMulKernel {

    /**
     * Accumulates a product into c.
     *
     * @param a the left operand
     * @param b the right operand
     * @param c the result, accumulated into
     * @param m rows of C
     * @param k the reduction length
     * @param n columns of C
     */
    void apply(float[] a, float[] b, float[] c, int m, int k, int n);
  }

  private KernelAsserts() {}

  /**
   * Returns {@code length} values uniform in [−1, 1).
   *
   * @param random the source of randomness
   * @param length how many values
   * @return the values
   */
  public static float[] uniform(SplittableRandom random, int length) {
    // not Tensor.uniform: tail tests need length 0, which a tensor shape refuses
    float[] x = new float[length];
    for (int i = 0; i < length; i++) {
      x[i] = (float) (2 * random.nextDouble() - 1);
    }
    return x;
  }

  /**
   * Returns the elementwise absolute values.
   *
   * @param x the values
   * @return a new array of |x|
   */
  public static float[] abs(float[] x) {
    float[] y = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = Math.abs(x[i]);
    }
    return y;
  }

  /**
   * Returns the per-element tolerance {@code 2·(terms+2)·u·magnitude[i]} for two float sums of
   * {@code terms} products (see the class comment).
   *
   * @param magnitude {@code |c0| + Σ |products|} for each output
   * @param terms the reduction length k
   * @return the tolerances
   */
  public static float[] sumTolerance(float[] magnitude, int terms) {
    float[] tol = new float[magnitude.length];
    for (int i = 0; i < tol.length; i++) {
      tol[i] = (float) (2.0 * (terms + 2) * UNIT_ROUNDOFF * magnitude[i]);
    }
    return tol;
  }

  /**
   * Returns the tolerance for comparing two ways of computing {@code c0 + product(a, b)}: the
   * magnitude {@code |c0| + product(|a|, |b|)} is computed with the reference kernel itself on
   * absolute values, then passed to {@link #sumTolerance}.
   *
   * @param reference the reference kernel
   * @param a the left operand
   * @param b the right operand
   * @param c0 C before the product
   * @param m rows of C
   * @param k the reduction length
   * @param n columns of C
   * @return one tolerance per element of C
   */
  public static float[] matmulTolerance(MatMulKernel reference, float[] a, float[] b, float[] c0, int m, int k,
      int n) {
    float[] magnitude = abs(c0);
    reference.apply(abs(a), abs(b), magnitude, m, k, n);
    return sumTolerance(magnitude, k);
  }

  /**
   * Returns the tolerance for comparing two ways of computing {@code y0 + W·x} on slices (see
   * {@link MatVecKernels#matvecReference} for the arguments): the magnitude
   * {@code |y0| + |W|·|x|} from the reference on absolute values, then {@link #sumTolerance}.
   *
   * @param w the array holding W
   * @param wOff index of W[0,0]
   * @param x the array holding x
   * @param xOff index of x[0]
   * @param y0 y before the product; not modified
   * @param yOff index of y[0]
   * @param rows rows of W
   * @param cols columns of W, the reduction length
   * @return one tolerance per element of y0's array
   */
  public static float[] matvecTolerance(float[] w, int wOff, float[] x, int xOff, float[] y0, int yOff, int rows,
      int cols) {
    float[] magnitude = abs(y0);
    MatVecKernels.matvecReference(abs(w), wOff, abs(x), xOff, magnitude, yOff, rows, cols);
    return sumTolerance(magnitude, cols);
  }

  /**
   * Runs {@code reference} and {@code fast} on copies of the same C and checks that they agree
   * within {@link #matmulTolerance}.
   *
   * @param what names the case in a failure message
   * @param reference the reference kernel
   * @param fast the kernel under test
   * @param a the left operand
   * @param b the right operand
   * @param c0 C before the product; not modified
   * @param m rows of C
   * @param k the reduction length
   * @param n columns of C
   * @return the fast kernel's result
   */
  public static float[] assertMatMulMatches(String what, MatMulKernel reference, MatMulKernel fast, float[] a,
      float[] b, float[] c0, int m, int k, int n) {
    float[] expected = c0.clone();
    reference.apply(a, b, expected, m, k, n);
    float[] actual = c0.clone();
    fast.apply(a, b, actual, m, k, n);
    assertWithin(what, expected, actual, matmulTolerance(reference, a, b, c0, m, k, n));
    return actual;
  }

  /**
   * Checks {@code |actual[i] − expected[i]| ≤ tolerance[i]} for every i.
   *
   * @param what names the case in a failure message
   * @param expected the reference values
   * @param actual the values under test
   * @param tolerance the allowed difference per element
   * @throws AssertionError naming the worst element and the number of failures
   */
  public static void assertWithin(String what, float[] expected, float[] actual, float[] tolerance) {
    if (expected.length != actual.length) {
      throw new AssertionError(what + ": expected " + expected.length + " values, got " + actual.length);
    }
    int worst = -1;
    double worstExcess = 1;
    int failures = 0;
    for (int i = 0; i < expected.length; i++) {
      double diff = Math.abs((double) actual[i] - expected[i]);
      // !(≤) also catches NaN
      if (!(diff <= tolerance[i])) {
        failures++;
        double excess = Double.isNaN(diff) ? Double.POSITIVE_INFINITY : diff / tolerance[i];
        if (worst < 0 || excess > worstExcess) {
          worst = i;
          worstExcess = excess;
        }
      }
    }
    if (worst >= 0) {
      throw new AssertionError(what + ": " + failures + " of " + expected.length + " elements differ; worst at ["
          + worst + "]: expected " + expected[worst] + ", got " + actual[worst] + ", tolerance " + tolerance[worst]);
    }
  }

  /**
   * Checks that two arrays hold exactly the same bits.
   *
   * @param what names the case in a failure message
   * @param expected the reference values
   * @param actual the values under test
   * @throws AssertionError naming the first differing element
   */
  public static void assertBitwiseEqual(String what, float[] expected, float[] actual) {
    if (expected.length != actual.length) {
      throw new AssertionError(what + ": expected " + expected.length + " values, got " + actual.length);
    }
    for (int i = 0; i < expected.length; i++) {
      if (Float.floatToRawIntBits(expected[i]) != Float.floatToRawIntBits(actual[i])) {
        throw new AssertionError(what + ": first difference at [" + i + "]: expected " + expected[i] + ", got "
            + actual[i]);
      }
    }
  }

  /**
   * Checks {@link BroadcastSimd} against {@link BroadcastKernels} on random operands of the given
   * shapes: the forwards and the accumulation into an operand that moves with the output bitwise,
   * the sum into a broadcast operand within {@link #sumTolerance}.
   *
   * @param a the first operand's shape
   * @param b the second operand's shape (the two must broadcast)
   * @param random the source of the values
   * @throws AssertionError naming the shapes, the kernel and the worst element
   */
  public static void assertBroadcastKernelsMatch(Shape a, Shape b, SplittableRandom random) {
    Broadcast bc = Broadcast.of("Op", a, b);
    float[] x = uniform(random, a.size());
    float[] y = uniform(random, b.size());
    float[] dOut = uniform(random, bc.size());
    int[] aAt = bc.aOffsets();
    int[] bAt = bc.bOffsets();
    String what = a + " and " + b + " (L = " + Vectors.LANES + ")";

    float[] expected = new float[bc.size()];
    float[] actual = new float[bc.size()];
    for (BroadcastKernels.Op op : BroadcastKernels.Op.values()) {
      BroadcastKernels.forwardReference(op, x, aAt, bc.aStep(), y, bAt, bc.bStep(), expected, bc.inner());
      BroadcastSimd.forwardSimd(op, x, aAt, bc.aStep(), y, bAt, bc.bStep(), actual, bc.inner());
      assertBitwiseEqual(what + ": " + op, expected, actual);
    }

    // the gradient of each operand, of a sum and of a product, from a non-zero start
    for (boolean first : new boolean[] {true, false}) {
      float[] start = uniform(random, first ? a.size() : b.size());
      int[] at = first ? aAt : bAt;
      int step = first ? bc.aStep() : bc.bStep();
      float[] other = first ? y : x;
      int[] otherAt = first ? bAt : aAt;
      int otherStep = first ? bc.bStep() : bc.aStep();
      String operand = what + ": d" + (first ? "A" : "B");
      // each element of the operand's gradient sums bc.size() / operand size terms
      int terms = bc.size() / start.length;

      float[] sumExpected = start.clone();
      float[] sumActual = start.clone();
      float[] sumMagnitude = abs(start);
      BroadcastKernels.accumulateReference(-1f, dOut, sumExpected, at, step, bc.inner());
      BroadcastSimd.accumulateSimd(-1f, dOut, sumActual, at, step, bc.inner());
      BroadcastKernels.accumulateReference(1f, abs(dOut), sumMagnitude, at, step, bc.inner());
      check(operand + " of a difference", step, sumExpected, sumActual, sumMagnitude, terms);

      float[] productExpected = start.clone();
      float[] productActual = start.clone();
      float[] productMagnitude = abs(start);
      BroadcastKernels.accumulateProductReference(dOut, other, otherAt, otherStep, productExpected, at, step,
          bc.inner());
      BroadcastSimd.accumulateProductSimd(dOut, other, otherAt, otherStep, productActual, at, step, bc.inner());
      BroadcastKernels.accumulateProductReference(abs(dOut), abs(other), otherAt, otherStep,
          productMagnitude, at, step, bc.inner());
      check(operand + " of a product", step, productExpected, productActual, productMagnitude, terms);
    }
  }

  /** Bitwise where the operand moves with the output (step 1); else within the bound of a float sum. */
  private static void check(String what, int step, float[] expected, float[] actual, float[] magnitude, int terms) {
    if (step == 1) {
      assertBitwiseEqual(what, expected, actual);
    } else {
      assertWithin(what, expected, actual, sumTolerance(magnitude, terms));
    }
  }
}
