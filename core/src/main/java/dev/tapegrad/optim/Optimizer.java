package dev.tapegrad.optim;

/**
 * Updates parameters from their accumulated gradients.
 */
public interface Optimizer {

  /** Applies one update to every parameter, using the gradients accumulated since the last zeroing. */
  void step();

  /** Sets every parameter's gradient to zero, ready for the next backward. */
  void zeroGrad();
}
