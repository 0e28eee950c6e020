package dev.tapegrad.nn;

/**
 * Which of two implementations a {@link Recurrent} layer runs; both compute the same function and
 * the same gradients on the same parameters, and a property test holds them to it.
 */
public enum Implementation {
  /** {@link RecurrentCell} steps composed from primitive ops, unrolled in time: readable, slower. */
  REFERENCE,
  /**
   * {@link dev.tapegrad.ops.FusedRecurrent}: one tape entry per layer with a hand-written
   * back-propagation through time; what training uses.
   */
  FUSED
}
