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
   * <p>Note: the operator is chosen by a switch inside the loop, each arm one of the lane-wise
   * operations ({@code add}, {@code sub}, {@code mul}, {@code div}) with its own store, so that
   * every arm is a Vector API call on a constant operator, which C2 intrinsifies; the switch on a
   * loop-invariant value costs a predictable branch per L elements. Passing the operator down as a
   * {@code VectorOperators.Binary} to {@code lanewise} instead is not a constant once the loop is
   * compiled on its own, and then runs the API's Java fallback (measured: see BENCHMARKS.md).
   */
  public static void forwardSimd(BroadcastKernels.Op op, float[] a, int[] aOffsets, int aStep, float[] b,
      int[] bOffsets, int bStep, float[] out, int inner) {
    int bound = SPECIES.loopBound(inner);
    for (int r = 0; r < aOffsets.length; r++) {
      int j = 0;
      for (; j < bound; j += LANES) {
        FloatVector x = load(a, aOffsets[r], aStep, j);
        FloatVector y = load(b, bOffsets[r], bStep, j);
        int o = r * inner + j;
        switch (op) {
          case ADD -> x.add(y).intoArray(out, o);
          case SUB -> x.sub(y).intoArray(out, o);
          case MUL -> x.mul(y).intoArray(out, o);
          case DIV -> x.div(y).intoArray(out, o);
        }
      }
      for (; j < inner; j++) {
        out[r * inner + j] = op.apply(a[aOffsets[r] + j * aStep], b[bOffsets[r] + j * bStep]);
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
