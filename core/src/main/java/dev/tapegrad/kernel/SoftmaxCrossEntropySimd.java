package dev.tapegrad.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API version of {@link SoftmaxCrossEntropyKernels}. Reached only after the module check
 * in {@link Kernels}.
 *
 * <p>The exponential is computed in the lanes with a polynomial rather than with
 * {@code VectorOperators.EXP}: that operator runs a platform math library once compiled and
 * {@link Math#exp} before, so its last bit could depend on when the JIT kicked in, while the
 * polynomial uses only +, ×, FMA and bit operations, which give the same bits interpreted or
 * compiled, on every JDK and CPU.
 */
public final class SoftmaxCrossEntropySimd {

  /** The widest float vector the CPU supports well; a constant so that C2 can intrinsify it. */
  static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

  /** Floats per vector: L. */
  static final int LANES = SPECIES.length();

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

  private SoftmaxCrossEntropySimd() {}

  /**
   * Softmax and summed cross-entropy; identical to {@link SoftmaxCrossEntropyKernels#forwardReference}
   * except that, L logits at a time:
   *
   * <ul>
   *   <li>the row maximum is a lane-wise maximum reduced once (exact, so the same value);
   *   <li>{@code e^(l − max)} is computed in float with the polynomial of {@link #expNonPositive}
   *       (within 2 ulp of {@code (float) Math.exp}; subnormal results become 0) instead of in
   *       double;
   *   <li>the sum of the exponentials is accumulated in float lanes whose sum is taken once, in
   *       lane order ({@link MatVecSimd#sumLanes}), instead of in double; the loss still takes
   *       its logarithm in double.
   * </ul>
   *
   * The last {@code vocab mod L} entries of a row use {@link #expNonPositive} in scalar code.
   *
   * @param logits the logits, rows×vocab
   * @param targets the target class of each row, in [0, vocab)
   * @param probs receives the softmax, rows×vocab
   * @param rows the number of rows
   * @param vocab the number of classes
   * @return the sum over rows of the loss, in double
   */
  public static double forwardSimd(float[] logits, int[] targets, float[] probs, int rows, int vocab) {
    int bound = SPECIES.loopBound(vocab);
    // where the lane sum spills its lanes
    float[] scratch = new float[LANES];
    double total = 0;
    for (int r = 0; r < rows; r++) {
      int base = r * vocab;
      // max_v logits[r,v], so every exponent is ≤ 0
      FloatVector maxV = FloatVector.broadcast(SPECIES, Float.NEGATIVE_INFINITY);
      for (int v = 0; v < bound; v += LANES) {
        maxV = maxV.max(FloatVector.fromArray(SPECIES, logits, base + v));
      }
      float max = maxV.reduceLanes(VectorOperators.MAX);
      for (int v = bound; v < vocab; v++) {
        max = Math.max(max, logits[base + v]);
      }
      // probs[r,v] = e^(logits[r,v] − max); sumExp = Σ_v probs[r,v]
      FloatVector sumV = FloatVector.zero(SPECIES);
      for (int v = 0; v < bound; v += LANES) {
        FloatVector e = expNonPositive(FloatVector.fromArray(SPECIES, logits, base + v).sub(max));
        e.intoArray(probs, base + v);
        sumV = sumV.add(e);
      }
      float sumExp = MatVecSimd.sumLanes(sumV, scratch);
      for (int v = bound; v < vocab; v++) {
        float e = expNonPositive(logits[base + v] - max);
        probs[base + v] = e;
        sumExp += e;
      }
      // probs[r,:] /= sumExp, as a multiplication by the float reciprocal like the reference
      float inv = (float) (1.0 / sumExp);
      for (int v = 0; v < bound; v += LANES) {
        FloatVector.fromArray(SPECIES, probs, base + v).mul(inv).intoArray(probs, base + v);
      }
      for (int v = bound; v < vocab; v++) {
        probs[base + v] *= inv;
      }
      // −log p_target = log Σ exp(l − max) + max − l_target
      total += Math.log(sumExp) + max - logits[base + targets[r]];
    }
    return total;
  }

  /**
   * {@code dLogits[r,v] += scale · (probs[r,v] − [v == target[r]])}; identical to
   * {@link SoftmaxCrossEntropyKernels#backwardReference} except that L entries are done per step.
   * The product and the sum are rounded separately, as in the reference, so the result is
   * bitwise the same.
   *
   * @param probs the saved softmax, rows×vocab
   * @param targets the target classes
   * @param dLogits accumulated into, rows×vocab
   * @param rows the number of rows
   * @param vocab the number of classes
   * @param scale dLoss for each row's term (1/rows for a mean, times the upstream gradient)
   */
  public static void backwardSimd(float[] probs, int[] targets, float[] dLogits, int rows, int vocab, float scale) {
    int bound = SPECIES.loopBound(vocab);
    for (int r = 0; r < rows; r++) {
      int base = r * vocab;
      // dLogits[r,:] += scale · probs[r,:]
      for (int v = 0; v < bound; v += LANES) {
        FloatVector p = FloatVector.fromArray(SPECIES, probs, base + v);
        FloatVector.fromArray(SPECIES, dLogits, base + v).add(p.mul(scale)).intoArray(dLogits, base + v);
      }
      for (int v = bound; v < vocab; v++) {
        dLogits[base + v] += scale * probs[base + v];
      }
      // minus the one-hot of the target
      dLogits[base + targets[r]] -= scale;
    }
  }

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
    // t = x·log2 e + 1.5·2^23 holds n = round(x·log2 e) in its low bits; nf = n as a float
    FloatVector t = x.fma(LOG2E, ROUND_MAGIC);
    FloatVector nf = t.sub(ROUND_MAGIC);
    // r = x − n·ln2, with ln2 in two parts so that the product is exact
    FloatVector r = nf.fma(FloatVector.broadcast(SPECIES, -LN2_HI), x);
    r = nf.fma(FloatVector.broadcast(SPECIES, -LN2_LO), r);
    // e^r ≈ 1 + r + r²·P(r), P evaluated by Horner's rule
    FloatVector poly = r.fma(P0, P1)
        .fma(r, FloatVector.broadcast(SPECIES, P2))
        .fma(r, FloatVector.broadcast(SPECIES, P3))
        .fma(r, FloatVector.broadcast(SPECIES, P4))
        .fma(r, FloatVector.broadcast(SPECIES, P5));
    FloatVector expR = poly.mul(r.mul(r)).add(r).add(1f);
    // 2^n: the biased exponent n + 127 shifted into place
    IntVector n = t.reinterpretAsInts().sub(ROUND_MAGIC_BITS);
    FloatVector scale = n.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
    // lanes below ln(2^−126), −∞ included, would have a negative biased exponent: make them 0
    VectorMask<Float> underflow = x.compare(VectorOperators.LT, EXP_UNDERFLOW);
    return expR.mul(scale).blend(0f, underflow);
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
}
