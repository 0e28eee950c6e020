package dev.tapegrad.kernel;

import static dev.tapegrad.kernel.Vectors.LANES;
import static dev.tapegrad.kernel.Vectors.SPECIES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Vector API versions of {@link ElementwiseKernels}' loops that C2 does not vectorise by itself
 * (measured in {@code ElementwiseBench}: relu's forward, {@code max(x, 0)}, it does, so that has no
 * twin). Reached only through their doors, after the module check.
 *
 * <p>Identical to the references except that L elements are done at a time, then the last
 * {@code n mod L} in scalar code. The operations are the references' own, lane by lane: relu's
 * backward adds {@code y > 0 ? dY : 0} as the reference does, so the results are the same floats.
 */
final class ElementwiseSimd {

  private ElementwiseSimd() {}

  /** {@link ElementwiseKernels#reluBackwardReference} L lanes at a time; same arguments. */
  static void reluBackwardSimd(float[] dY, float[] y, float[] dX) {
    int n = dY.length;
    int bound = SPECIES.loopBound(n);
    int i = 0;
    for (; i < bound; i += LANES) {
      // dX += [y > 0] ? dY : 0
      VectorMask<Float> passed = FloatVector.fromArray(SPECIES, y, i).compare(VectorOperators.GT, 0f);
      FloatVector g = FloatVector.zero(SPECIES).blend(FloatVector.fromArray(SPECIES, dY, i), passed);
      FloatVector.fromArray(SPECIES, dX, i).add(g).intoArray(dX, i);
    }
    for (; i < n; i++) {
      dX[i] += y[i] > 0f ? dY[i] : 0f;
    }
  }
}
