package dev.tapegrad.kernel;

import static dev.tapegrad.kernel.Vectors.LANES;
import static dev.tapegrad.kernel.Vectors.SPECIES;

import jdk.incubator.vector.FloatVector;

/**
 * Vector API versions of the hot {@link BroadcastKernels}: the forward of the four operators and
 * the two backwards of Add, Sub and Mul. Reached only from its family's door, when {@link Vectors#ON}.
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

  private BroadcastSimd() {}

  /**
   * {@code out = a op b}; see {@link BroadcastKernels#forward}, same arguments.
   *
   * <p>Note: every Vector API operation needs a constant operator where C2 compiles it, or it runs
   * the API's Java fallback; so each operator's lanes run in a loop method of their own, which
   * differ only in that one lane-wise call, and the tails share one scalar loop. Measured against
   * the four forwards this replaces (before/after in one sitting, JFR and PrintInlining): passing
   * the operator to {@code lanewise} as a {@code VectorOperators.Binary} argument ran about a
   * hundred times slower, nearly every profile sample in {@code lanewiseTemplate} and
   * {@code bOpTemplate}; a switch on the operator inside the loop, or the loop called with a
   * constant operator code from four sites (C2 compiled it once, "already compiled into a big
   * method", instead of inlining it at each site), compiled to vector code but ran about 1.5 times
   * slower; a switch outside the loops of one method was recompiled again and again as each arm's
   * loop was compiled on stack, and mul and div ran their fallback.
   */
  public static void forwardSimd(BroadcastKernels.Op op, float[] a, int[] aOffsets, int aStep, float[] b,
      int[] bOffsets, int bStep, float[] out, int inner) {
    int bound = SPECIES.loopBound(inner);
    switch (op) {
      case ADD -> add(a, aOffsets, aStep, b, bOffsets, bStep, out, inner, bound);
      case SUB -> sub(a, aOffsets, aStep, b, bOffsets, bStep, out, inner, bound);
      case MUL -> mul(a, aOffsets, aStep, b, bOffsets, bStep, out, inner, bound);
      case DIV -> div(a, aOffsets, aStep, b, bOffsets, bStep, out, inner, bound);
    }
    // the last inner mod L elements of each run, in scalar code
    for (int r = 0; r < aOffsets.length; r++) {
      for (int j = bound; j < inner; j++) {
        out[r * inner + j] = op.apply(a[aOffsets[r] + j * aStep], b[bOffsets[r] + j * bStep]);
      }
    }
  }

  // The first loopBound(inner) elements of every run, L at a time, for each operator.

  private static void add(float[] a, int[] aAt, int aStep, float[] b, int[] bAt, int bStep, float[] out, int inner,
      int bound) {
    for (int r = 0; r < aAt.length; r++) {
      for (int j = 0; j < bound; j += LANES) {
        load(a, aAt[r], aStep, j).add(load(b, bAt[r], bStep, j)).intoArray(out, r * inner + j);
      }
    }
  }

  private static void sub(float[] a, int[] aAt, int aStep, float[] b, int[] bAt, int bStep, float[] out, int inner,
      int bound) {
    for (int r = 0; r < aAt.length; r++) {
      for (int j = 0; j < bound; j += LANES) {
        load(a, aAt[r], aStep, j).sub(load(b, bAt[r], bStep, j)).intoArray(out, r * inner + j);
      }
    }
  }

  private static void mul(float[] a, int[] aAt, int aStep, float[] b, int[] bAt, int bStep, float[] out, int inner,
      int bound) {
    for (int r = 0; r < aAt.length; r++) {
      for (int j = 0; j < bound; j += LANES) {
        load(a, aAt[r], aStep, j).mul(load(b, bAt[r], bStep, j)).intoArray(out, r * inner + j);
      }
    }
  }

  private static void div(float[] a, int[] aAt, int aStep, float[] b, int[] bAt, int bStep, float[] out, int inner,
      int bound) {
    for (int r = 0; r < aAt.length; r++) {
      for (int j = 0; j < bound; j += LANES) {
        load(a, aAt[r], aStep, j).div(load(b, bAt[r], bStep, j)).intoArray(out, r * inner + j);
      }
    }
  }

  /** {@code dX[x(i)] += alpha · dOut[i]}; see {@link BroadcastKernels#accumulate}, same arguments. */
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

  /** {@code dX[x(i)] += dOut[i] · y[y(i)]}; see {@link BroadcastKernels#accumulateProduct}, same arguments. */
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
