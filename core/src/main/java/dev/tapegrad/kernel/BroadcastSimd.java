package dev.tapegrad.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API versions of the hot {@link BroadcastKernels}: the four forwards and the two
 * backwards of Add, Sub and Mul. Reached only after the module check in {@link Kernels}.
 *
 * <p>Each is identical to its reference except that within a run L output elements are done per
 * step (with the reference loop for the last {@code inner mod L}); an operand with step 0 is one
 * value broadcast to every lane. Forwards and the accumulation into an operand with step 1 perform
 * the reference's operations in the reference's order, one rounding each, so they are bitwise the
 * same. Accumulating into an operand with step 0 is a sum over the run: it is added up in L lane
 * sums, which are then summed in lane order, followed by the tail, and only then added to the
 * gradient, so it rounds differently from the reference's one-at-a-time sum.
 */
public final class BroadcastSimd {

  /** The widest float vector the CPU supports well; a constant so that C2 can intrinsify it. */
  static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

  /** Floats per vector: L. */
  static final int LANES = SPECIES.length();

  private BroadcastSimd() {}

  /**
   * {@code out = a + b}; see {@link BroadcastKernels#addForward}, same arguments.
   *
   * @param a a's values
   * @param aOffsets a's index at the start of each run
   * @param aStep 1, or 0 where a is broadcast within a run
   * @param b b's values
   * @param bOffsets b's index at the start of each run
   * @param bStep 1, or 0 where b is broadcast within a run
   * @param out receives the result, runs × inner
   * @param inner elements per run
   */
  public static void addForwardSimd(float[] a, int[] aOffsets, int aStep, float[] b, int[] bOffsets, int bStep,
      float[] out, int inner) {
    int bound = SPECIES.loopBound(inner);
    for (int r = 0; r < aOffsets.length; r++) {
      int j = 0;
      for (; j < bound; j += LANES) {
        load(a, aOffsets[r], aStep, j).add(load(b, bOffsets[r], bStep, j)).intoArray(out, r * inner + j);
      }
      for (; j < inner; j++) {
        out[r * inner + j] = a[aOffsets[r] + j * aStep] + b[bOffsets[r] + j * bStep];
      }
    }
  }

  /**
   * {@code out = a − b}; see {@link BroadcastKernels#subForward}, same arguments.
   *
   * @param a a's values
   * @param aOffsets a's index at the start of each run
   * @param aStep 1, or 0 where a is broadcast within a run
   * @param b b's values
   * @param bOffsets b's index at the start of each run
   * @param bStep 1, or 0 where b is broadcast within a run
   * @param out receives the result, runs × inner
   * @param inner elements per run
   */
  public static void subForwardSimd(float[] a, int[] aOffsets, int aStep, float[] b, int[] bOffsets, int bStep,
      float[] out, int inner) {
    int bound = SPECIES.loopBound(inner);
    for (int r = 0; r < aOffsets.length; r++) {
      int j = 0;
      for (; j < bound; j += LANES) {
        load(a, aOffsets[r], aStep, j).sub(load(b, bOffsets[r], bStep, j)).intoArray(out, r * inner + j);
      }
      for (; j < inner; j++) {
        out[r * inner + j] = a[aOffsets[r] + j * aStep] - b[bOffsets[r] + j * bStep];
      }
    }
  }

  /**
   * {@code out = a ⊙ b}; see {@link BroadcastKernels#mulForward}, same arguments.
   *
   * @param a a's values
   * @param aOffsets a's index at the start of each run
   * @param aStep 1, or 0 where a is broadcast within a run
   * @param b b's values
   * @param bOffsets b's index at the start of each run
   * @param bStep 1, or 0 where b is broadcast within a run
   * @param out receives the result, runs × inner
   * @param inner elements per run
   */
  public static void mulForwardSimd(float[] a, int[] aOffsets, int aStep, float[] b, int[] bOffsets, int bStep,
      float[] out, int inner) {
    int bound = SPECIES.loopBound(inner);
    for (int r = 0; r < aOffsets.length; r++) {
      int j = 0;
      for (; j < bound; j += LANES) {
        load(a, aOffsets[r], aStep, j).mul(load(b, bOffsets[r], bStep, j)).intoArray(out, r * inner + j);
      }
      for (; j < inner; j++) {
        out[r * inner + j] = a[aOffsets[r] + j * aStep] * b[bOffsets[r] + j * bStep];
      }
    }
  }

  /**
   * {@code out = a / b}; see {@link BroadcastKernels#divForward}, same arguments.
   *
   * @param a a's values
   * @param aOffsets a's index at the start of each run
   * @param aStep 1, or 0 where a is broadcast within a run
   * @param b b's values
   * @param bOffsets b's index at the start of each run
   * @param bStep 1, or 0 where b is broadcast within a run
   * @param out receives the result, runs × inner
   * @param inner elements per run
   */
  public static void divForwardSimd(float[] a, int[] aOffsets, int aStep, float[] b, int[] bOffsets, int bStep,
      float[] out, int inner) {
    int bound = SPECIES.loopBound(inner);
    for (int r = 0; r < aOffsets.length; r++) {
      int j = 0;
      for (; j < bound; j += LANES) {
        load(a, aOffsets[r], aStep, j).div(load(b, bOffsets[r], bStep, j)).intoArray(out, r * inner + j);
      }
      for (; j < inner; j++) {
        out[r * inner + j] = a[aOffsets[r] + j * aStep] / b[bOffsets[r] + j * bStep];
      }
    }
  }

  /**
   * {@code dX[x(i)] += alpha · dOut[i]}; see {@link BroadcastKernels#accumulate}, same arguments.
   *
   * @param alpha the local derivative, ±1
   * @param dOut the output's gradient, runs × inner
   * @param dX the operand's gradient, accumulated into
   * @param xOffsets the operand's index at the start of each run
   * @param xStep 1, or 0 where the operand is broadcast within a run
   * @param inner elements per run
   */
  public static void accumulateSimd(float alpha, float[] dOut, float[] dX, int[] xOffsets, int xStep, int inner) {
    int bound = SPECIES.loopBound(inner);
    float[] lanes = new float[LANES];
    for (int r = 0; r < xOffsets.length; r++) {
      int x = xOffsets[r];
      int o = r * inner;
      int j = 0;
      if (xStep == 1) {
        // dX[x + j] += alpha · dOut[o + j], L at a time
        for (; j < bound; j += LANES) {
          FloatVector g = FloatVector.fromArray(SPECIES, dOut, o + j).mul(alpha);
          FloatVector.fromArray(SPECIES, dX, x + j).add(g).intoArray(dX, x + j);
        }
        for (; j < inner; j++) {
          dX[x + j] += alpha * dOut[o + j];
        }
      } else {
        // dX[x] += Σ_j alpha · dOut[o + j]: L lane sums, summed in lane order
        FloatVector sum = FloatVector.zero(SPECIES);
        for (; j < bound; j += LANES) {
          sum = sum.add(FloatVector.fromArray(SPECIES, dOut, o + j).mul(alpha));
        }
        float total = MatVecSimd.sumLanes(sum, lanes);
        for (; j < inner; j++) {
          total += alpha * dOut[o + j];
        }
        dX[x] += total;
      }
    }
  }

  /**
   * {@code dX[x(i)] += dOut[i] · y[y(i)]}; see {@link BroadcastKernels#accumulateProduct}, same
   * arguments.
   *
   * @param dOut the output's gradient, runs × inner
   * @param y the other factor's values
   * @param yOffsets its index at the start of each run
   * @param yStep 1, or 0 where it is broadcast within a run
   * @param dX this factor's gradient, accumulated into
   * @param xOffsets this factor's index at the start of each run
   * @param xStep 1, or 0 where it is broadcast within a run
   * @param inner elements per run
   */
  public static void accumulateProductSimd(float[] dOut, float[] y, int[] yOffsets, int yStep, float[] dX,
      int[] xOffsets, int xStep, int inner) {
    int bound = SPECIES.loopBound(inner);
    float[] lanes = new float[LANES];
    for (int r = 0; r < xOffsets.length; r++) {
      int x = xOffsets[r];
      int o = r * inner;
      int j = 0;
      if (xStep == 1) {
        // dX[x + j] += dOut[o + j] · y[y(j)], L at a time
        for (; j < bound; j += LANES) {
          FloatVector g = FloatVector.fromArray(SPECIES, dOut, o + j).mul(load(y, yOffsets[r], yStep, j));
          FloatVector.fromArray(SPECIES, dX, x + j).add(g).intoArray(dX, x + j);
        }
        for (; j < inner; j++) {
          dX[x + j] += dOut[o + j] * y[yOffsets[r] + j * yStep];
        }
      } else {
        // dX[x] += Σ_j dOut[o + j] · y[y(j)]: L lane sums, summed in lane order
        FloatVector sum = FloatVector.zero(SPECIES);
        for (; j < bound; j += LANES) {
          sum = sum.add(FloatVector.fromArray(SPECIES, dOut, o + j).mul(load(y, yOffsets[r], yStep, j)));
        }
        float total = MatVecSimd.sumLanes(sum, lanes);
        for (; j < inner; j++) {
          total += dOut[o + j] * y[yOffsets[r] + j * yStep];
        }
        dX[x] += total;
      }
    }
  }

  /** L consecutive values of an operand from {@code offset + j}; when its step is 0, its one value in L lanes. */
  private static FloatVector load(float[] x, int offset, int step, int j) {
    return step == 0 ? FloatVector.broadcast(SPECIES, x[offset]) : FloatVector.fromArray(SPECIES, x, offset + j);
  }
}
