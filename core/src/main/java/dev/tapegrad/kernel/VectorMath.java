package dev.tapegrad.kernel;

import static dev.tapegrad.kernel.Vectors.LANES;
import static dev.tapegrad.kernel.Vectors.SPECIES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * The exponential, and the sigmoid and tanh built on it, over ranges of an array, L lanes at a
 * time: for the SIMD softmax and gate kernels. Reached only from its family's door, when {@link Vectors#ON}.
 *
 * <p>Why not {@code VectorOperators.EXP} or {@code TANH}: those run a platform math library once
 * compiled and {@link Math} before, so their last bit could depend on when the JIT kicked in, and
 * a training run would not repeat itself bit for bit. These polynomials use only +, ×, ÷, FMA,
 * comparisons and bit operations, which give the same bits interpreted or compiled, on every JDK
 * and CPU.
 *
 * <p>Each function works on a range of an array rather than on one vector, and the polynomial is
 * written out in the loop: C2 refused to inline such vector helpers into the gate kernels ("callee
 * is too large"), and a vector passed to or returned from a call that is not inlined is boxed into
 * an object, which ran the gates about twenty times slower. Each stops at the last whole vector
 * and returns where it stopped; the caller does the rest.
 */
final class VectorMath {

  /** log2(e), to turn e^x into 2^(x·log2 e). */
  private static final float LOG2E = 1.44269504088896341f;

  /** 1.5·2^23: adding it to |t| &lt; 2^22 rounds t to an integer held in the low mantissa bits. */
  private static final float ROUND_MAGIC = 12582912f;

  /** The bits of {@link #ROUND_MAGIC}, so that bits(t + magic) − this = round(t). */
  private static final int ROUND_MAGIC_BITS = 0x4B400000;

  /** ln 2 = LN2_HI + LN2_LO, split so that n·LN2_HI is exact for |n| ≤ 2^9 (Cody and Waite). */
  private static final float LN2_HI = 0.693359375f;

  /** The rest of ln 2. */
  private static final float LN2_LO = -2.12194440e-4f;

  /** ln(2^−126): below this e^x is subnormal and is returned as 0. */
  private static final float EXP_UNDERFLOW = -87.33654475f;

  /** Cephes {@code expf} minimax coefficients: e^r ≈ 1 + r + r²(P0 r⁵ + … + P5) on |r| ≤ ln2/2. */
  private static final float P0 = 1.9875691500e-4f;
  private static final float P1 = 1.3981999507e-3f;
  private static final float P2 = 8.3334519073e-3f;
  private static final float P3 = 4.1665795894e-2f;
  private static final float P4 = 1.6666665459e-1f;
  private static final float P5 = 5.0000001201e-1f;

  private VectorMath() {}

  /**
   * {@code y[i] = e^(−s·|x[i]|)}, or that minus 1 when {@code minusOne}, for i below
   * {@code loopBound(n)}: within 2 ulp of {@code (float) Math.exp} (and of {@code Math.expm1}).
   * With v = −s·|x|, n = round(v·log2 e) and r = v − n·ln 2 (|r| ≤ ln2/2), e^v = 2^n · e^r, where
   * e^r − 1 = r + r²·P(r) is a degree-7 polynomial and 2^n is built in the exponent field; then
   * {@code e^v − 1 = 2^n·(e^r − 1) + (2^n − 1)}, two terms ≤ 0 that do not cancel, keeps full
   * relative accuracy where e^v − 1 is tiny. Below ln(2^−126) the result is 0 (−1). {@code y} may
   * be {@code x} at the same offset.
   *
   * @param x the source's array
   * @param xOff index of x[0]
   * @param s the scale s ≥ 0 of |x| in the exponent
   * @param minusOne whether to return e^v − 1 rather than e^v
   * @param y the destination's array
   * @param yOff index of y[0]
   * @param n the range's length
   * @return {@code loopBound(n)}, the first index not computed
   */
  static int expNegAbs(float[] x, int xOff, float s, boolean minusOne, float[] y, int yOff, int n) {
    int bound = SPECIES.loopBound(n);
    for (int i = 0; i < bound; i += LANES) {
      FloatVector v = FloatVector.fromArray(SPECIES, x, xOff + i).abs().mul(-s);
      // t = v·log2 e + 1.5·2^23 holds n = round(v·log2 e) in its low bits; nf = n as a float
      FloatVector t = v.fma(LOG2E, ROUND_MAGIC);
      FloatVector nf = t.sub(ROUND_MAGIC);
      // r = v − n·ln2, with ln2 in two parts so that the product is exact
      FloatVector r = nf.fma(FloatVector.broadcast(SPECIES, -LN2_HI), v);
      r = nf.fma(FloatVector.broadcast(SPECIES, -LN2_LO), r);
      // e^r − 1 ≈ r + r²·P(r), P evaluated by Horner's rule
      FloatVector poly = r.fma(P0, P1)
          .fma(r, FloatVector.broadcast(SPECIES, P2))
          .fma(r, FloatVector.broadcast(SPECIES, P3))
          .fma(r, FloatVector.broadcast(SPECIES, P4))
          .fma(r, FloatVector.broadcast(SPECIES, P5));
      FloatVector expRm1 = poly.mul(r.mul(r)).add(r);
      // 2^n: the biased exponent n + 127 shifted into place
      IntVector bits = t.reinterpretAsInts().sub(ROUND_MAGIC_BITS).add(127).lanewise(VectorOperators.LSHL, 23);
      FloatVector scale = bits.reinterpretAsFloats();
      // lanes below ln(2^−126), −∞ included, would have a negative biased exponent
      VectorMask<Float> underflow = v.compare(VectorOperators.LT, EXP_UNDERFLOW);
      FloatVector result = minusOne ? expRm1.fma(scale, scale.sub(1f)).blend(-1f, underflow)
          : expRm1.add(1f).mul(scale).blend(0f, underflow);
      result.intoArray(y, yOff + i);
    }
    return bound;
  }

  /**
   * {@code e^x} for one x ≤ 0, the same operations as {@link #expNegAbs} (with s = 1 and without
   * minus one) in scalar code, so that the tail of a softmax row is computed exactly like its
   * vector part.
   *
   * @param x the exponent, ≤ 0
   * @return e^x
   */
  static float expNonPositive(float x) {
    float t = Math.fma(x, LOG2E, ROUND_MAGIC);
    float nf = t - ROUND_MAGIC;
    float r = Math.fma(nf, -LN2_HI, x);
    r = Math.fma(nf, -LN2_LO, r);
    float poly = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(r, P0, P1), r, P2), r, P3), r, P4), r, P5);
    float expR = poly * (r * r) + r + 1f;
    int n = Float.floatToRawIntBits(t) - ROUND_MAGIC_BITS;
    float scale = Float.intBitsToFloat((n + 127) << 23);
    return x < EXP_UNDERFLOW ? 0f : expR * scale;
  }

  /**
   * {@code y[i] = σ(x[i]) = 1 / (1 + e^−x[i])} for i below {@code loopBound(n)}, from
   * e = e^−|x| so that the exponential never overflows: {@code 1 / (1 + e)} for x ≥ 0 and
   * {@code e / (1 + e)} for x &lt; 0. {@code y} may be {@code x} at the same offset.
   *
   * @param x the source's array
   * @param xOff index of x[0]
   * @param y the destination's array
   * @param yOff index of y[0]
   * @param n the range's length
   * @param scratch at least n floats, overwritten
   * @return {@code loopBound(n)}, the first index not computed
   */
  static int sigmoid(float[] x, int xOff, float[] y, int yOff, int n, float[] scratch) {
    int bound = expNegAbs(x, xOff, 1f, false, scratch, 0, n);
    for (int i = 0; i < bound; i += LANES) {
      FloatVector e = FloatVector.fromArray(SPECIES, scratch, i);
      VectorMask<Float> negative = FloatVector.fromArray(SPECIES, x, xOff + i).compare(VectorOperators.LT, 0f);
      FloatVector.broadcast(SPECIES, 1f).blend(e, negative).div(e.add(1f)).intoArray(y, yOff + i);
    }
    return bound;
  }

  /**
   * {@code y[i] = tanh(x[i])} for i below {@code loopBound(n)}: {@code tanh(|x|) = −m / (2 + m)}
   * with m = e^−2|x| − 1 from {@link #expNegAbs}, which keeps full relative accuracy near 0, with
   * the sign of x. {@code y} may be {@code x} at the same offset.
   *
   * @param x the source's array
   * @param xOff index of x[0]
   * @param y the destination's array
   * @param yOff index of y[0]
   * @param n the range's length
   * @param scratch at least n floats, overwritten
   * @return {@code loopBound(n)}, the first index not computed
   */
  static int tanh(float[] x, int xOff, float[] y, int yOff, int n, float[] scratch) {
    int bound = expNegAbs(x, xOff, 2f, true, scratch, 0, n);
    for (int i = 0; i < bound; i += LANES) {
      FloatVector m = FloatVector.fromArray(SPECIES, scratch, i);
      FloatVector t = m.neg().div(m.add(2f));
      // copy x's sign bit onto tanh(|x|)
      IntVector sign = FloatVector.fromArray(SPECIES, x, xOff + i).reinterpretAsInts().and(Integer.MIN_VALUE);
      t.reinterpretAsInts().or(sign).reinterpretAsFloats().intoArray(y, yOff + i);
    }
    return bound;
  }
}
