package dev.tapegrad.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The exponential, and the sigmoid and tanh built on it, in the lanes of a vector: for the SIMD
 * softmax and gate kernels. Reached only after the module check in {@link Kernels}.
 *
 * <p>Why not {@code VectorOperators.EXP} or {@code TANH}: those run a platform math library once
 * compiled and {@link Math} before, so their last bit could depend on when the JIT kicked in, and
 * a training run would not repeat itself bit for bit. These polynomials use only +, ×, ÷, FMA,
 * comparisons and bit operations, which give the same bits interpreted or compiled, on every JDK
 * and CPU.
 */
final class VectorMath {

  /** The widest float vector the CPU supports well; a constant so that C2 can intrinsify it. */
  static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

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
   * {@code e^x} for every lane, for x ≤ 0 (the softmax's shifted logits), within 2 ulp of
   * {@code (float) Math.exp(x)}; 0 when e^x would be subnormal, NaN for NaN.
   *
   * <p>With n = round(x·log2 e) and r = x − n·ln 2 (|r| ≤ ln2/2), e^x = 2^n · e^r: e^r is a
   * degree-7 polynomial and 2^n is built directly in the exponent field.
   *
   * @param x the exponents, ≤ 0
   * @return e^x
   */
  static FloatVector expNonPositive(FloatVector x) {
    // t = x·log2 e + 1.5·2^23 holds n = round(x·log2 e) in its low bits
    FloatVector t = x.fma(LOG2E, ROUND_MAGIC);
    FloatVector expR = expm1Reduced(reduced(x, t)).add(1f);
    // lanes below ln(2^−126), −∞ included, would have a negative biased exponent: make them 0
    return expR.mul(powerOfTwo(t)).blend(0f, x.compare(VectorOperators.LT, EXP_UNDERFLOW));
  }

  /**
   * {@code e^x − 1} for every lane, for x ≤ 0, accurate relative to the result also where it is
   * tiny (|x| ≪ 1, where {@code e^x − 1} would cancel): with e^x = 2^n·e^r as in
   * {@link #expNonPositive(FloatVector)}, {@code e^x − 1 = 2^n·(e^r − 1) + (2^n − 1)}, where both
   * terms are ≤ 0. −1 where e^x would be subnormal.
   *
   * @param x the exponents, ≤ 0
   * @return e^x − 1, in [−1, 0]
   */
  static FloatVector expm1NonPositive(FloatVector x) {
    FloatVector t = x.fma(LOG2E, ROUND_MAGIC);
    FloatVector scale = powerOfTwo(t);
    return expm1Reduced(reduced(x, t)).fma(scale, scale.sub(1f))
        .blend(-1f, x.compare(VectorOperators.LT, EXP_UNDERFLOW));
  }

  /** r = x − n·ln 2, with n = t − 1.5·2^23 and ln 2 in two parts so that the product is exact. */
  private static FloatVector reduced(FloatVector x, FloatVector t) {
    FloatVector nf = t.sub(ROUND_MAGIC);
    FloatVector r = nf.fma(FloatVector.broadcast(SPECIES, -LN2_HI), x);
    return nf.fma(FloatVector.broadcast(SPECIES, -LN2_LO), r);
  }

  /** e^r − 1 ≈ r + r²·P(r) on |r| ≤ ln2/2, P evaluated by Horner's rule. */
  private static FloatVector expm1Reduced(FloatVector r) {
    FloatVector poly = r.fma(P0, P1)
        .fma(r, FloatVector.broadcast(SPECIES, P2))
        .fma(r, FloatVector.broadcast(SPECIES, P3))
        .fma(r, FloatVector.broadcast(SPECIES, P4))
        .fma(r, FloatVector.broadcast(SPECIES, P5));
    return poly.mul(r.mul(r)).add(r);
  }

  /** 2^n for n held in t's low bits: the biased exponent n + 127 shifted into place. */
  private static FloatVector powerOfTwo(FloatVector t) {
    IntVector n = t.reinterpretAsInts().sub(ROUND_MAGIC_BITS);
    return n.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
  }

  /**
   * {@code e^x} for one x ≤ 0, the same operations as {@link #expNonPositive(FloatVector)} in
   * scalar code, so that the tail of a row is computed exactly like its vector part.
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
   * σ(x) = 1 / (1 + e^−x) for every lane, from e^−|x| so that the exponential never overflows:
   * {@code 1 / (1 + e^−x)} for x ≥ 0 and {@code e^x / (1 + e^x)} for x &lt; 0.
   *
   * @param x any values
   * @return σ(x), in [0, 1]
   */
  static FloatVector sigmoid(FloatVector x) {
    FloatVector e = expNonPositive(x.abs().neg());
    FloatVector onePlusE = e.add(1f);
    // 1 / (1 + e) where x ≥ 0, e / (1 + e) where x < 0
    FloatVector numerator = FloatVector.broadcast(SPECIES, 1f).blend(e, x.compare(VectorOperators.LT, 0f));
    return numerator.div(onePlusE);
  }

  /**
   * tanh(x) for every lane: {@code tanh(|x|) = −m / (2 + m)} with m = e^−2|x| − 1
   * ({@link #expm1NonPositive}), which keeps full relative accuracy near 0, and the sign of x.
   *
   * @param x any values
   * @return tanh(x), in [−1, 1]
   */
  static FloatVector tanh(FloatVector x) {
    FloatVector m = expm1NonPositive(x.abs().mul(-2f));
    FloatVector t = m.neg().div(m.add(2f));
    // copy x's sign bit onto tanh(|x|)
    IntVector sign = x.reinterpretAsInts().and(Integer.MIN_VALUE);
    return t.reinterpretAsInts().or(sign).reinterpretAsFloats();
  }
}
