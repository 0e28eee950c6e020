package dev.tapegrad.optim;

/**
 * Updates parameters from their accumulated gradients.
 *
 * <pre>{@code
 * Optimizer optimizer = Adam.create(model.parameters(), 1e-3f);
 * optimizer.zeroGrad();      // gradients accumulate, so clear them before each backward
 * tape.backward(loss);
 * optimizer.step();
 * }</pre>
 */
public interface Optimizer {

  /** Applies one update to every parameter, using the gradients accumulated since the last zeroing. */
  void step();

  /** Sets every parameter's gradient to zero, ready for the next backward. */
  void zeroGrad();
}
