package dev.tapegrad.kernel;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The one place that says whether the SIMD twins run and how wide their vectors are: every door
 * asks {@link #ON}, every {@code …Simd} class reads {@link #SPECIES} and {@link #LANES}.
 *
 * <p>All three are {@code static final}, so C2 folds the door's {@code if (Vectors.ON)} away and
 * sees the species as the constant the Vector API intrinsics need. This class names vector types
 * but touches them only when {@link Kernels} found the module: without it {@link #SPECIES} is
 * {@code null}, no vector class is loaded, and the doors never branch to a twin.
 */
final class Vectors {

  /** Whether the SIMD twins run: the module is present and {@code -Dtapegrad.kernels=scalar} is not set. */
  static final boolean ON = Kernels.isSimd();

  /**
   * The widest float vector the CPU supports well, when the module is present (even with scalar
   * kernels forced, so that tests can still compare a twin with its reference); else {@code null}.
   */
  static final VectorSpecies<Float> SPECIES = Kernels.VECTOR_MODULE_PRESENT ? FloatVector.SPECIES_PREFERRED : null;

  /** Floats per vector: L (1 without the module). */
  static final int LANES = SPECIES == null ? 1 : SPECIES.length();

  private Vectors() {}
}
